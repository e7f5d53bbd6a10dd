import { join } from 'node:path';
import { Catalog, type Service, type ServiceSummary } from '../../contract/catalog.js';
import { CENTRAL_PATHS } from '../../contract/central/api.js';
import { loadCatalog } from '../../catalog/load.js';
import { createSearchIndex } from '../../catalog/search.js';
import type { CentralClient } from './central-client.js';
import type { Logger } from './log.js';
import { readJsonState, writeFileAtomic } from './state-file.js';

/**
 * The catalog the kiosk serves from: central's latest when reachable, else the last one cached on
 * disk, else the snapshot shipped with the kiosk (first start with no network). Whatever the source,
 * it is parsed before use; a bad cache (empty, torn, not a catalog) is ignored with a warning, never
 * trusted and never a reason not to start.
 */
export class CatalogService {
  private catalog: Catalog;
  private byId = new Map<string, Service>();
  private index: ReturnType<typeof createSearchIndex>;
  private readonly cacheFile: string;
  source: 'snapshot' | 'cache' | 'central' = 'snapshot';

  constructor(
    private readonly options: { dataDir: string; log: Logger; client: CentralClient | null; snapshot?: () => Catalog },
  ) {
    this.cacheFile = join(options.dataDir, 'catalog-cache.json');
    const cached = this.readCache();
    this.catalog = cached ?? (options.snapshot ?? loadCatalog)();
    if (cached) this.source = 'cache';
    this.index = this.use(this.catalog);
  }

  private readCache(): Catalog | null {
    const cached = readJsonState(this.cacheFile, Catalog);
    if (cached.problem && cached.problem !== 'missing') this.options.log.log('warn', 'catalog.cache-ignored', { problem: cached.problem });
    return cached.value;
  }

  private use(catalog: Catalog): ReturnType<typeof createSearchIndex> {
    this.catalog = catalog;
    this.byId = new Map(catalog.services.map((service) => [service.id, service]));
    this.index = createSearchIndex(catalog);
    return this.index;
  }

  /** Fetches central's catalog; keeps the current one on any failure. */
  async refresh(): Promise<boolean> {
    if (!this.options.client) return false;
    const outcome = await this.options.client.call('GET', CENTRAL_PATHS.catalog, Catalog);
    if (outcome.kind !== 'ok') {
      this.options.log.log('warn', 'catalog.refresh-failed', { reason: outcome.reason });
      return false;
    }
    if (outcome.value.version !== this.catalog.version || this.source === 'snapshot') {
      this.use(outcome.value);
      try {
        writeFileAtomic(this.cacheFile, JSON.stringify(outcome.value));
      } catch (error) {
        // A full disk costs the offline copy, not the catalog now in use.
        this.options.log.log('warn', 'catalog.cache-not-written', { error });
      }
      this.options.log.log('info', 'catalog.updated', { version: outcome.value.version });
    }
    this.source = 'central';
    return true;
  }

  get version(): string {
    return this.catalog.version;
  }

  get stages() {
    return this.catalog.stages;
  }

  summaries(): ServiceSummary[] {
    return this.catalog.services.map(({ id, name, lifeCycle, stage, summary, channel, approval }) => ({ id, name, lifeCycle, stage, summary, channel, approval }));
  }

  service(id: string): Service | null {
    return this.byId.get(id) ?? null;
  }

  search(query: string, limit: number): ServiceSummary[] {
    return this.index.search(query, limit).map((hit) => hit.service);
  }
}
