// Every `porchlight` command, in the order `porchlight help` lists them.
import type { Command } from './command.js'
import { init } from './init.js'
import { start } from './start.js'
import { chainCommand } from './chain.js'
import { councilCommand } from './council.js'
import { requestsCommand } from './requests.js'
import { requestCommand } from './request.js'
import { clipsCommand } from './clips.js'
import { auditCommand } from './audit.js'
import { consentCommand } from './consent.js'
import { footageCommand } from './footage.js'
import { demo } from './demo.js'

export const commands: Command[] = [init, start, chainCommand, councilCommand, requestCommand, requestsCommand, clipsCommand, consentCommand, footageCommand, auditCommand, demo]
