export { createLogger, getLogLevel, logLevels, redactPaths, serializeError, InvalidLogLevelError, type Logger, type LogLevel, type LoggerInit, type SerializedError } from './logger.js'
