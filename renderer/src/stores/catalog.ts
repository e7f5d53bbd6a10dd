import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { LifeCycle, Service, ServiceSummary, Stage } from '../../../contract/catalog.js';

/** The service catalog as the host serves it (cached for offline use on the host side). */
export const useCatalogStore = defineStore('catalog', () => {
  /** Catalog version (a content hash), for the record; never shown to citizens. */
  const version = ref('');
  /** Every stage of both life cycles. */
  const stages = ref<Stage[]>([]);
  /** Every service, summary only. */
  const services = ref<ServiceSummary[]>([]);
  /** The service being viewed or applied for, with its guide and flow. */
  const current = ref<Service | null>(null);

  const stagesOf = (lifeCycle: LifeCycle) => computed(() => stages.value.filter((stage) => stage.lifeCycle === lifeCycle && !stage.parent));
  function childrenOf(stageId: string): Stage[] {
    return stages.value.filter((stage) => stage.parent === stageId);
  }
  function servicesIn(stageId: string): ServiceSummary[] {
    const ids = new Set([stageId, ...childrenOf(stageId).map((stage) => stage.id)]);
    return services.value.filter((service) => ids.has(service.stage));
  }
  function stageName(stageId: string): string {
    return stages.value.find((stage) => stage.id === stageId)?.name ?? '';
  }

  return { version, stages, services, current, stagesOf, childrenOf, servicesIn, stageName };
});
