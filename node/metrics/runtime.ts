// The process: event-loop delay and resident memory. Not prom-client's collectDefaultMetrics: it starts an
// event-loop monitor per registry at once, and a simulation runs a thousand nodes (registries) in one
// process; here a node's monitor starts at its first scrape, so nodes nobody scrapes cost nothing.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks'
import { Gauge, type Registry } from 'prom-client'

export interface RuntimeMetrics {
  stop (): void
}

export function runtimeMetrics (registry: Registry): RuntimeMetrics {
  let histogram: IntervalHistogram | undefined
  new Gauge({ // registered in `registry`, read through it
    name: 'porchlight_event_loop_delay_seconds',
    help: 'Event-loop delay since the previous scrape (p50, p99, max; the first scrape starts the monitor)',
    labelNames: ['stat'] as const,
    registers: [registry],
    collect () {
      if (histogram === undefined) {
        histogram = monitorEventLoopDelay({ resolution: 20 })
        histogram.enable()
        return
      }
      // The histogram is in nanoseconds; it is reset so each figure covers the time since the last scrape.
      this.set({ stat: 'p50' }, histogram.percentile(50) / 1e9)
      this.set({ stat: 'p99' }, histogram.percentile(99) / 1e9)
      this.set({ stat: 'max' }, histogram.max / 1e9)
      histogram.reset()
    }
  })
  new Gauge({ // registered in `registry`, read through it
    name: 'porchlight_process_resident_memory_bytes',
    help: 'Resident set size of the process (in a simulation, of all its nodes)',
    registers: [registry],
    collect () { this.set(process.memoryUsage.rss()) }
  })
  return {
    stop () {
      histogram?.disable()
      histogram = undefined
    }
  }
}
