// The delivery stage's view of a partner's outbound mailbox (the stage is src/jobs/deliver.ts; the
// SFTP and folder channels are src/transports/outbound.ts).

/** One delivery entry's file, as a channel sends it. */
export interface OutboundFile {
  name: string;
  bytes: Uint8Array;
  resume: boolean;
  /** The delivery entry (outbound.id): a channel that keeps its own record of a send (AS2) keys it by this. */
  entryId: number;
  /** What it is: '997', '855', ... */
  kind: string;
}

/** Where one partner's outbound files go. */
export interface OutboundChannel {
  /** For messages: 'sftp user@host:22/inbox', 'folder /var/as2/out'. */
  readonly describe: string;
  /** The partner's file-name pattern (src/partners/file-name.ts placeholders). */
  readonly fileNamePattern: string;
  /**
   * Puts the bytes under `name` without ever overwriting a file or showing half of one. `resume`: an
   * earlier try of this entry may have delivered already; a file of that name holding the same
   * bytes (or, on SFTP, the same size) is then this entry's, and counts as delivered. A throw whose
   * catalog retry policy is `business` (the partner's server refused it for good: an AS2 MDN with an
   * error) fails the entry at once; any other throw is retried with backoff.
   */
  deliver(file: OutboundFile): Promise<{ name: string; path: string; alreadyThere?: boolean }>;
}

/** The channel of a partner, or why there is none (the entry waits, with this reason). */
export type OutboundChannels = (partner: string) => OutboundChannel | { missing: string };
