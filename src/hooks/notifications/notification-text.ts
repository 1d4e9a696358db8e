/** The words of each notification (pure). The log opens when a failed start's notification is clicked. */
import { pathToFileURL } from 'node:url';
import type { Notification } from '../../system/swiftbar/notify.js';
import type { NotifyEvent } from './notification-policy.js';

export function notificationFor(event: NotifyEvent, where: { readonly apiUrl: string; readonly logFilePath: string }): Notification {
  switch (event.kind) {
    case 'failed-start':
      return {
        title: `${event.name} failed to start`,
        body: event.reason ?? 'llama-swap logged no reason; click to open its log',
        href: pathToFileURL(where.logFilePath).href,
      };
    case 'stopped':
      return { title: 'llama-swap stopped', body: `It stopped answering at ${where.apiUrl} without being asked` };
    case 'back':
      return { title: 'llama-swap is back', body: `It answers again at ${where.apiUrl}` };
    case 'ttl-unload':
      return { title: `${event.name} unloaded`, body: 'llama-swap unloaded it after its ttl without requests' };
  }
}
