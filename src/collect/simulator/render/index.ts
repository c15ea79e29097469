import type { Engine } from '../model.js';
import { discourse } from './discourse.js';
import { mybb } from './mybb.js';
import { phpbb } from './phpbb.js';
import type { EngineRenderer } from './types.js';
import { vbulletin } from './vbulletin.js';
import { xenforo } from './xenforo.js';

export const renderers: Record<Engine, EngineRenderer> = { xenforo, mybb, phpbb, vbulletin, discourse };
