export { NotifyService, notifyService, notifyChannels, linkBase } from './service.js'
export type { NotifyServiceEvents, NotifyServiceInit, NotifyComponents } from './service.js'
export { toNotification, testNotification, inboxLink, headline, bodyText, type Notification } from './message.js'
export { ChannelQueue, defaultRetry, type RetryPolicy, type ChannelQueueEvents } from './queue.js'
export type { NotifyChannel } from './channel.js'
export { MqttChannel, mqttTopics, discoveryConfig, mqttPayload, slug, type MqttTopics, type MqttChannelInit } from './mqtt.js'
export { WebhookChannel, webhookRequest, type WebhookChannelInit } from './webhook.js'
export { EmailChannel, emailMessage, type EmailChannelInit } from './email.js'
export {
  NotifyError, NotifyUnreachableError, NotifyTimeoutError, NotifyUnauthorizedError, NotifyRefusedError, NotifyServerError, NotifyTlsError,
  NotifyQueueFullError, NotifyStoppedError, type NotifyChannelName, type NotifyFailureReason
} from './errors.js'
