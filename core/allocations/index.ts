export * from './types';
export * from './restrictions';
export * from './tables';
export * from './check';
export * from './formulas';
