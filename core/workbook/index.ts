export * from './layout';
export * from './read';
export * from './create';
