export { nodeMetrics, type NodeMetrics, type MetricSources } from './node-metrics.js'
export { metricsService, type MetricsService, type MetricsComponents } from './service.js'
export { metricsRoutes } from './routes.js'
