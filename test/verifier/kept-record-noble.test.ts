/**
 * The kept record (./kept-record.ts) on the reference backend. Vitest runs each file in its own process
 * (pool 'forks'), and the backend is chosen at its first use: set before any.
 */
import { describe } from 'vitest';
import { keptRecordTests } from './kept-record.js';

process.env['SCEAU_BACKEND'] = 'noble';

describe('a record written before the native backend, on the reference backend', keptRecordTests);
