/**
 * The remote's memory of builds: {@code kache sync --push} writes, from the local build journal,
 * which entries the newest build of this workspace used; {@code kache sync --pull} reads the record
 * of its own identity (two GETs at most: the exact slot, then the workspace's line) and downloads
 * only those entries. A missing, foreign, stale or hostile record costs at most what it would have
 * saved: the pull falls back to the listing rule, or a build misses.
 */
package io.kache.core.sync.records;
