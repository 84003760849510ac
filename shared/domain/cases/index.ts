export * from './types';
export * from './requirements';
export * from './checklist';
export * from './deadlines';
export * from './rules';
export * from './status';
export * from './statement';
export * from './time-format';
