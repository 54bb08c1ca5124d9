export * from './format';
export * from './export';
