export * from './layout';
export * from './schema';
export * from './read';
export * from './create';
