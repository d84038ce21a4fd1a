export * as sigv4 from './sigv4/index.js';
export * as policy from './policy/index.js';
