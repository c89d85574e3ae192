// What a transport needs of the gateway: its intake function (src/jobs/gateway.ts), resolving only
// after COMMIT and throwing IntakeError otherwise. Transports take this type, not the Gateway, so
// a test or a one-shot tool can hand in any function of the same shape.
import type { Json } from '../../store/types.js';

export interface TransportIntakeInput {
  partner: string;
  channel: string;
  sourceName: string;
  bytes: Uint8Array;
  metadata?: Json;
}

export interface TransportIntakeResult {
  fileId: number;
  duplicate: boolean;
}

export type TransportIntake = (input: TransportIntakeInput) => Promise<TransportIntakeResult>;
