export * from './feeds.ts';
export * from './fetch.ts';
