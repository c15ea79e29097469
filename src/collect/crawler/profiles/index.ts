export { BUILTIN_PROFILES } from './builtin.js';
export { EngineProfile, Field, type EngineProfileInput } from './types.js';
