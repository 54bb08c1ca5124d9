export * from './table';
export * from './tree';
export * from './consolidate';
