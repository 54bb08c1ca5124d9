export * from './types';
export * from './memory';
export * from './driver';
export * from './state';
export * from './helpers';
export * from './charts';
export * from './tables';
