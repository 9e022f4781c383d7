export { countOpenAIChatTokens } from './count-openai-chat-tokens.ts';
export { estimateAnthropicTokens } from './estimate-anthropic-tokens.ts';
export { FAULT_KINDS, type FaultKind, type FaultStep, parseFaultStep } from './fault-step.ts';
export { jsonSchemaValue } from './json-schema-value.ts';
export { BUILT_IN_MODELS, type ModelSpec } from './model-table.ts';
export { parseFaultRates } from './parse-fault-rates.ts';
export type { RateLimitConfig, RateLimits } from './rate-limiter.ts';
export { type Simulator, type SimulatorOptions, startSimulator } from './start-simulator.ts';
export type { BilledUsage, SimulatorStats, StatsBucket } from './stats.ts';
