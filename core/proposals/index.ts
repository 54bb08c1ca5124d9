export * from './read';
export * from './rank';
export * from './scenarios';
