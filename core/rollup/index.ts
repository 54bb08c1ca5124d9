export * from './table';
export * from './tree';
export * from './consolidate';
export * from './funds';
export * from './revenues';
export * from './projection';
export * from './fund-view';
