export * from './units';
export * from './table';
export * from './staffing';
export * from './lines';
export * from './settings';
