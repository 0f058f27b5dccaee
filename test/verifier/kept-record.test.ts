/** The kept record (./kept-record.ts) on the backend in use: the native one in CI. */
import { describe } from 'vitest';
import { keptRecordTests } from './kept-record.js';

describe('a record written before the native backend, on the backend in use', keptRecordTests);
