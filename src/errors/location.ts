// Where a finding is: file, byte offset, envelope control numbers, segment and element positions.
// Declared here, below the X12 engine, so that the error catalog's findings can carry it.

/** Where something sits in a file: everything a person or an acknowledgment needs to find it. */
export interface Location {
  file?: string;
  /** Byte offset in the file. */
  offset?: number;
  /** 1-based line in the file. */
  line?: number;
  /** ISA13 of the interchange, as written (zero padding kept). */
  interchange?: string;
  /** GS06 of the functional group. */
  group?: string;
  /** ST02 of the transaction set. */
  transaction?: string;
  /** Transaction set id (ST01), e.g. 850. */
  transactionSetId?: string;
  /** Position of the segment in its transaction set, ST = 1 (AK302/IK302). */
  segmentPosition?: number;
  /** Tag of the segment concerned (AK301/IK301). */
  segmentTag?: string;
  /** Loop identifier (AK303/IK303), when known. */
  loopId?: string;
  /** 1-based element position (AK401-1/IK401-1). */
  elementPosition?: number;
  /** 1-based component position inside a composite (AK401-2/IK401-2). */
  componentPosition?: number;
  /** 1-based repetition position (IK401-3, 5010). */
  repetitionPosition?: number;
  /** Data element reference number (AK402/IK402), e.g. "353". */
  elementReference?: string;
}
