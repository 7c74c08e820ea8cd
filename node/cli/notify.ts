// `porchlight notify test --dir D`: sends a test notification on every channel a resident's config.json
// names and says, per channel, whether it went out and why not. It reads the config itself and sends from
// this process, so it works whether the node runs or not; its MQTT client has its own id and no will, so it
// never marks a running node offline. The link is the running node's API URL when node.json has one.
import type { Command } from '@commander-js/extra-typings'
import { act, wholeNumber } from './command.js'
import { loadConfig } from '../config/index.js'
import { readNodeInfo } from '../node-info.js'
import { createLogger } from '../logging/index.js'
import { ChannelQueue, MqttChannel, linkBase, notifyChannels, testNotification, type NotifyError } from '../notify/index.js'

// A test says what is wrong now; a couple of quick retries only ride over a blip.
const testRetry = { retries: 2, minTimeoutMs: 250, maxTimeoutMs: 1000, factor: 2 }

export function addNotifyCommand (program: Command): void {
  const notify = program.command('notify')
    .summary('a resident\'s notification channels')
    .description('Commands about the notification channels (MQTT, webhook, email) in a resident\'s config.json `notify`.')
  notify.command('test')
    .summary('send a test notification on every configured channel')
    .description('Sends a test notification (marked as a test) on every channel in DIR/config.json `notify`, one line per ' +
      'channel: sent, or failed with the reason. Exit code 1 when any failed or none is configured.')
    .requiredOption('--dir <dir>', 'the resident node\'s directory (the node may be running or not)')
    .option('--timeout <ms>', 'how long one try may take', wholeNumber(1, 600_000), 10_000)
    .action(act(async (o) => {
      const config = await loadConfig(o.dir)
      // Nothing on stdout but the verdicts: the channels log warnings only, to stderr.
      const log = createLogger({ level: 'silent', base: { role: config.role, node: config.name } })
      const channels = notifyChannels(config.notify, config.name, log, { timeoutMs: o.timeout, announce: false, mqttReconnectMs: 0 })
      if (channels.length === 0) {
        console.error('notify test: no channel is configured (config.json `notify`: mqtt, webhook, email)')
        return 1
      }
      const api = (await readNodeInfo(o.dir))?.api
      const n = testNotification(linkBase(config, api === undefined ? undefined : { address: () => api }))
      let failed = 0
      for (const channel of channels) {
        const queue = new ChannelQueue(channel, { sent: () => {}, retry: () => {}, failed: () => {} }, { retry: testRetry })
        try {
          await channel.start?.()
          if (channel instanceof MqttChannel) await channel.connected()
          await queue.sendNow(n)
          console.log(`${channel.name}: sent`)
        } catch (err) {
          failed++
          const e = err as NotifyError
          console.log(`${channel.name}: failed (${e.reason ?? 'error'}): ${e.name} (${e.code}): ${e.message}`)
        } finally {
          await queue.stop()
          await channel.stop?.().catch(() => {})
        }
      }
      return failed === 0 ? 0 : 1
    }))
}
