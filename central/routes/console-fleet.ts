import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  CONSOLE_PATHS,
  IssueCommandBody,
  PutConfigLayerBody,
  SetOutOfServiceBody,
  TerminalListQuery,
  type ConfigLayerView,
  type FleetAlert,
  type FleetCommandView,
  type TerminalDetail,
  type TerminalPage,
  type TerminalState,
  type TerminalSummary,
} from '../../contract/central/console.js';
import { ConfigScope, HeartbeatBody, mergeSettings, RemoteSettings } from '../../contract/central/fleet.js';
import type { CentralContext } from '../context.js';
import { effectiveConfig } from '../fleet/heartbeat.js';
import { badRequest, HttpError, route, type Route } from '../http/routes.js';
import type { AlertRow, ConfigLayerRecord, TerminalRow } from '../store/store.js';

/** Who runs the fleet: technicians (运维) and managers. */
const FLEET_ROLES = ['technician', 'manager'] as const;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function alertView(row: AlertRow): FleetAlert {
  return { id: row.id, terminalId: row.terminalId, kind: row.kind as FleetAlert['kind'], message: row.message, raisedAt: new Date(row.raisedAtMs).toISOString(), clearedAt: iso(row.clearedAtMs) };
}

function layerView(layer: ConfigLayerRecord): ConfigLayerView {
  return {
    scope: layer.scope,
    scopeId: layer.scopeId,
    settings: RemoteSettings.parse(JSON.parse(layer.settings)),
    version: layer.version,
    updatedBy: layer.updatedBy,
    updatedAt: new Date(layer.updatedAtMs).toISOString(),
  };
}

/** The path of the first problem in plain words: `配置项 session.idleTimeoutSeconds 不正确：…`. */
function configProblem(error: z.ZodError, where = ''): HttpError {
  const issue = error.issues[0];
  // A key that does not exist (a typo) is named itself, not the object it sits in.
  const keys = issue?.code === 'unrecognized_keys' ? issue.keys : [];
  const path = [...(issue?.path ?? []), ...keys.slice(0, 1)].join('.') || '(整体)';
  return new HttpError(422, { code: 'invalid-config', message: `${where}配置项 ${path} 不正确：${issue?.message ?? ''}` });
}

/**
 * The fleet section of the consoles (issue 13): every terminal with its state and alerts, filtered and
 * paged by central (a city's 10,000 terminals never travel at once), a terminal's page, the actions
 * (out of service with a message, self-test, restart, fetch logs) and remote configuration by layer.
 * Every change is kept with the 工号 of who made it.
 */
export function consoleFleetRoutes({ store, now }: CentralContext): Route[] {
  const summaries = async (rows: TerminalRow[]): Promise<TerminalSummary[]> => {
    const alerts = await store.fleet.openAlerts(
      rows.map((row) => row.terminalId),
      rows.length * 12,
    );
    return rows.map((row) => ({
      terminalId: row.terminalId,
      hall: row.hall,
      district: row.district,
      state: row.state as TerminalState,
      lastSeen: iso(row.lastSeenMs),
      softwareVersion: row.softwareVersion,
      alerts: alerts.filter((alert) => alert.terminalId === row.terminalId).map((alert) => ({ kind: alert.kind as FleetAlert['kind'], message: alert.message })),
      pending: row.pending,
      configVersion: row.configVersion,
    }));
  };
  const known = async (terminalId: string) => {
    const row = await store.fleet.terminal(terminalId);
    if (!row) throw new HttpError(404, { code: 'unknown-terminal', message: '没有这台终端' });
    return row;
  };

  return [
    route({
      method: 'GET',
      auth: 'console',
      roles: FLEET_ROLES,
      path: CONSOLE_PATHS.terminals,
      async handle({ query }) {
        const parsed = TerminalListQuery.safeParse(Object.fromEntries(query));
        if (!parsed.success) throw badRequest(`查询条件不正确：${parsed.error.issues[0]?.path.join('.') ?? ''}`);
        const { page, pageSize, ...filter } = parsed.data;
        const nowMs = now().getTime();
        const [list, overview] = await Promise.all([store.fleet.list({ ...filter, offset: (page - 1) * pageSize, limit: pageSize }, nowMs), store.fleet.overview(nowMs)]);
        const counts = { serving: 0, degraded: 0, 'out-of-service': 0, silent: 0, ...overview.counts };
        const body: TerminalPage = { total: list.total, page, pageSize, items: await summaries(list.rows), counts, districts: overview.districts, halls: overview.halls };
        return { status: 200, body };
      },
    }),
    route({
      method: 'GET',
      auth: 'console',
      roles: FLEET_ROLES,
      path: '/console/api/fleet/terminals/:id',
      async handle({ params }) {
        const terminalId = params.id ?? '';
        const nowMs = now().getTime();
        const row = await known(terminalId);
        const silent = row.lastSeenMs === null || row.lastSeenMs < nowMs - 3 * row.intervalMs;
        const [summary] = await summaries([{ ...row, state: silent ? 'silent' : row.state }]);
        const latest = await store.fleet.latest(terminalId);
        const heartbeat = latest.body ? HeartbeatBody.omit({ screenshot: true }).safeParse(JSON.parse(latest.body)) : null;
        const layers = await store.config.forTerminal(terminalId, row.district, row.hall);
        const context = (await store.fleet.contexts([terminalId])).get(terminalId);
        const body: TerminalDetail = {
          summary: summary as TerminalSummary,
          heartbeat: heartbeat?.success ? heartbeat.data : null,
          screenshot: latest.screenshot ? { takenAt: new Date(latest.screenshot.takenAtMs).toISOString(), dataUrl: `data:${latest.screenshot.mime};base64,${latest.screenshot.data}` } : null,
          alerts: (await store.fleet.alerts(terminalId, 50)).map(alertView),
          history: (await store.fleet.history(terminalId, 100)).map((entry) => ({
            receivedAt: new Date(entry.receivedAtMs).toISOString(),
            state: entry.state as TerminalState,
            pending: entry.pending,
            needsStaff: entry.needsStaff,
            note: entry.note,
          })),
          config: { ...effectiveConfig(layers), layers: layers.map(layerView) },
          outOfServiceSet: context?.outOfService ? { message: context.outOfService.message, by: context.outOfService.by, at: new Date(context.outOfService.atMs).toISOString() } : null,
          commands: (await store.fleet.commands(terminalId, 20)).map(
            (command): FleetCommandView => ({
              id: command.id,
              kind: command.kind as FleetCommandView['kind'],
              issuedBy: command.issuedBy,
              issuedAt: new Date(command.issuedAtMs).toISOString(),
              outcome: command.outcome as FleetCommandView['outcome'],
              note: command.note,
              completedAt: iso(command.completedAtMs),
            }),
          ),
        };
        return { status: 200, body };
      },
    }),
    route({
      method: 'POST',
      auth: 'console',
      roles: FLEET_ROLES,
      path: '/console/api/fleet/terminals/:id/commands',
      body: IssueCommandBody,
      async handle({ params, body, user }) {
        const command = { id: randomUUID(), terminalId: params.id ?? '', kind: body.kind, issuedBy: user?.staffNumber ?? '', issuedAtMs: now().getTime() };
        if (!(await store.fleet.issueCommand(command))) throw new HttpError(404, { code: 'unknown-terminal', message: '没有这台终端' });
        return { status: 201, body: { id: command.id } };
      },
    }),
    route({
      method: 'POST',
      auth: 'console',
      roles: FLEET_ROLES,
      path: '/console/api/fleet/terminals/:id/out-of-service',
      body: SetOutOfServiceBody,
      async handle({ params, body, user }) {
        const value = body.message === null ? null : { message: body.message, by: user?.staffNumber ?? '', atMs: now().getTime() };
        if (!(await store.fleet.setOutOfService(params.id ?? '', value))) throw new HttpError(404, { code: 'unknown-terminal', message: '没有这台终端' });
        return { status: 204, body: null };
      },
    }),
    route({
      method: 'GET',
      auth: 'console',
      roles: FLEET_ROLES,
      path: CONSOLE_PATHS.alerts,
      handle: async () => ({ status: 200, body: (await store.fleet.openAlerts(null, 500)).map(alertView) }),
    }),
    route({
      method: 'GET',
      auth: 'console',
      roles: FLEET_ROLES,
      path: CONSOLE_PATHS.configLayers,
      handle: async () => ({ status: 200, body: (await store.config.list()).map(layerView) }),
    }),
    route({
      method: 'POST',
      auth: 'console',
      roles: FLEET_ROLES,
      path: '/console/api/fleet/config/:scope/:scopeId',
      body: PutConfigLayerBody,
      async handle({ params, body, user }) {
        const scope = ConfigScope.safeParse(params.scope);
        if (!scope.success) throw badRequest('配置范围只能是 master、district、hall 或 terminal');
        const scopeId = scope.data === 'master' ? '' : (params.scopeId ?? '');
        if (scope.data !== 'master' && (scopeId === '' || scopeId === '-')) throw badRequest('请指明区县、大厅或终端');
        const layer = RemoteSettings.safeParse(body.settings);
        if (!layer.success) throw configProblem(layer.error);
        // Each terminal this layer reaches must still have a valid configuration with its other layers.
        const reached = await store.config.reach(scope.data, scopeId);
        const others = await store.config.forTerminals(reached);
        for (const terminal of reached) {
          const theirs = others.filter(
            (other) =>
              !(other.scope === scope.data && other.scopeId === scopeId) &&
              (other.scope === 'master' ||
                (other.scope === 'district' && other.scopeId === terminal.district) ||
                (other.scope === 'hall' && other.scopeId === terminal.hall) ||
                (other.scope === 'terminal' && other.scopeId === terminal.terminalId)),
          );
          const layers = [...theirs.map((other) => ({ order: other.scope, settings: RemoteSettings.parse(JSON.parse(other.settings)) })), { order: scope.data, settings: layer.data }];
          const order = ['master', 'district', 'hall', 'terminal'];
          layers.sort((a, b) => order.indexOf(a.order) - order.indexOf(b.order));
          const merged = RemoteSettings.safeParse(mergeSettings(...layers.map((entry) => entry.settings)));
          if (!merged.success) throw configProblem(merged.error, `与终端 ${terminal.terminalId} 的其他配置合并后，`);
        }
        const version = await store.transaction((tx) =>
          tx.config.put({ scope: scope.data, scopeId, settings: JSON.stringify(layer.data), updatedBy: user?.staffNumber ?? '', updatedAtMs: now().getTime() }),
        );
        return { status: 201, body: { version } };
      },
    }),
    route({
      method: 'GET',
      auth: 'console',
      roles: FLEET_ROLES,
      path: '/console/api/fleet/logs/:commandId',
      async handle({ params }) {
        const logs = await store.fleet.logs(params.commandId ?? '');
        if (!logs) throw new HttpError(404, { code: 'no-logs', message: '终端尚未上传这份日志，请稍后再看' });
        return { status: 200, body: { commandId: params.commandId, terminalId: logs.terminalId, receivedAt: new Date(logs.receivedAtMs).toISOString(), lines: JSON.parse(logs.lines) as unknown } };
      },
    }),
  ];
}
