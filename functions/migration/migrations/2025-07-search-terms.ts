/**
 * The first search backfill, kept for the migration log of stores that ran it: it now selects and
 * writes what the current search index needs, exactly as 2026-12-search-index does.
 */
import { searchIndexBuild } from './2026-12-search-index.js';

export const searchTermsMigration = searchIndexBuild('2025-07-search-terms', 'Search backfill (superseded by 2026-12-search-index, which does the same)');
