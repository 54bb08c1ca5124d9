export * from './lines';
export * from './hash';
export * from './roles';
export * from './audit';
export * from './workflow';
export * from './verify';
export * from './permissions';
