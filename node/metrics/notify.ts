// A resident's notifications, by channel: sent, and given up on by reason (a closed list: errors.ts).
// Private, like the inbox's figures (how many requests reached a household), so never on a public /metrics.
import { Counter, type Registry } from 'prom-client'
import type { NotifyService, NotifyServiceEvents } from '../notify/index.js'

export function notifyMetrics (registry: Registry, notify: NotifyService): () => void {
  const sent = new Counter({ name: 'porchlight_notify_sent_total', help: 'Notifications a channel\'s server took', labelNames: ['channel'] as const, registers: [registry] })
  const failed = new Counter({ name: 'porchlight_notify_failed_total', help: 'Notifications given up on, by channel and reason', labelNames: ['channel', 'reason'] as const, registers: [registry] })
  const retries = new Counter({ name: 'porchlight_notify_retries_total', help: 'Failed tries of a notification that were tried again', labelNames: ['channel'] as const, registers: [registry] })
  // Every configured channel shows, at 0, before its first notification.
  for (const channel of notify.channels) { sent.inc({ channel }, 0); retries.inc({ channel }, 0) }
  const onSent = ({ channel }: NotifyServiceEvents['notify:sent'][0]): void => { sent.inc({ channel }) }
  const onFailed = ({ channel, error }: NotifyServiceEvents['notify:failed'][0]): void => { failed.inc({ channel, reason: error.reason }) }
  const onRetry = ({ channel }: NotifyServiceEvents['notify:retry'][0]): void => { retries.inc({ channel }) }
  notify.on('notify:sent', onSent)
  notify.on('notify:failed', onFailed)
  notify.on('notify:retry', onRetry)
  return () => { notify.off('notify:sent', onSent); notify.off('notify:failed', onFailed); notify.off('notify:retry', onRetry) }
}
