export { createLogger, getLogLevel, logLevels, redactPaths, InvalidLogLevelError, type Logger, type LogLevel, type LoggerInit } from './logger.js'
