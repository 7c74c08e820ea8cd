export { nodeMetrics, type NodeMetrics, type MetricSources } from './node-metrics.js'
export { metricSourcesOf, chainClientsOf } from './sources.js'
export { metricsRoutes } from './routes.js'
