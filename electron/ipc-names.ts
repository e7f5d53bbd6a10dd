/** The only two IPC channels between preload and main: every contract call and every contract event. */
export const IPC_INVOKE = 'kiosk:invoke';
export const IPC_EVENT = 'kiosk:event';
