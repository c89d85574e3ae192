// Meanings of the acknowledgment codes (docs/x12.md#ak-and-ik-codes-by-version), in plain words,
// as data. The 997/999/TA1 writers use them for messages, the ack reader to say
// why a partner rejected what we sent. Codes marked `only: '999'` exist in the
// 999 implementation guide (005010X231A1) only.

export interface CodeInfo {
  meaning: string;
  /** Set when the code is defined for one acknowledgment kind only. */
  only?: '999';
  /** Set when 004010 does not define the code (its AK403 knows 1 to 10, its AK905 no 19): the code written there instead. */
  in004010?: string;
}

export interface CodeTable {
  /** The element the codes go in, e.g. "AK304/IK304". */
  element: string;
  codes: Readonly<Record<string, CodeInfo>>;
}

/** TA104 interchange acknowledgment code. */
export const ta1StatusCodes: CodeTable = {
  element: 'TA104',
  codes: {
    A: { meaning: 'the interchange was accepted with no errors' },
    E: { meaning: 'the interchange was accepted, with errors noted' },
    R: { meaning: 'the interchange was rejected because of errors' },
  },
};

/** TA105 interchange note code. */
export const ta1NoteCodes: CodeTable = {
  element: 'TA105',
  codes: {
    '000': { meaning: 'no error' },
    '001': { meaning: 'the interchange control number in the header (ISA13) and trailer (IEA02) do not match' },
    '002': { meaning: 'the standard named in the interchange header is not supported' },
    '003': { meaning: 'this version of the interchange controls is not supported' },
    '004': { meaning: 'the segment terminator is invalid' },
    '005': { meaning: 'the sender id qualifier (ISA05) is invalid' },
    '006': { meaning: 'the sender id (ISA06) is invalid' },
    '007': { meaning: 'the receiver id qualifier (ISA07) is invalid' },
    '008': { meaning: 'the receiver id (ISA08) is invalid' },
    '009': { meaning: 'the receiver id (ISA08) is unknown to the recipient' },
    '010': { meaning: 'the authorization information qualifier (ISA01) is invalid' },
    '011': { meaning: 'the authorization information (ISA02) is invalid' },
    '012': { meaning: 'the security information qualifier (ISA03) is invalid' },
    '013': { meaning: 'the security information (ISA04) is invalid' },
    '014': { meaning: 'the interchange date (ISA09) is invalid' },
    '015': { meaning: 'the interchange time (ISA10) is invalid' },
    '016': { meaning: 'the interchange standards identifier (ISA11) is invalid' },
    '017': { meaning: 'the interchange version (ISA12) is invalid' },
    '018': { meaning: 'the interchange control number (ISA13) is invalid' },
    '019': { meaning: 'the acknowledgment-requested flag (ISA14) is invalid' },
    '020': { meaning: 'the usage (test) indicator (ISA15) is invalid' },
    '021': { meaning: 'the number of included functional groups (IEA01) is wrong' },
    '022': { meaning: 'the interchange control structure is invalid' },
    '023': { meaning: 'the file ended before the interchange was complete' },
    '024': { meaning: 'the interchange content is invalid (for example a bad GS segment)' },
    '025': { meaning: 'the interchange control number was already received (duplicate interchange)' },
    '026': { meaning: 'the data element separator is invalid' },
    '027': { meaning: 'the component element separator is invalid' },
    '028': { meaning: 'the delivery date of a deferred delivery request is invalid' },
    '029': { meaning: 'the delivery time of a deferred delivery request is invalid' },
    '030': { meaning: 'the delivery time code of a deferred delivery request is invalid' },
    '031': { meaning: 'the grade of service code is invalid' },
  },
};

/** AK901 functional group acknowledgment code. */
export const groupStatusCodes: CodeTable = {
  element: 'AK901',
  codes: {
    A: { meaning: 'the functional group was accepted' },
    E: { meaning: 'the functional group was accepted, with errors noted' },
    P: { meaning: 'the functional group was partially accepted: at least one transaction set was rejected' },
    R: { meaning: 'the functional group was rejected' },
    M: { meaning: 'the functional group was rejected: message authentication code failed' },
    W: { meaning: 'the functional group was rejected: assurance failed validity tests' },
    X: { meaning: 'the functional group was rejected: content after decryption could not be analysed' },
  },
};

/** AK905..AK909 functional group syntax error code. */
export const groupErrorCodes: CodeTable = {
  element: 'AK905',
  codes: {
    '1': { meaning: 'the functional group is not supported' },
    '2': { meaning: 'the functional group version is not supported' },
    '3': { meaning: 'the functional group trailer (GE) is missing' },
    '4': { meaning: 'the group control numbers in GS06 and GE02 do not agree' },
    '5': { meaning: 'the number of included transaction sets (GE01) does not match the actual count' },
    '6': { meaning: 'the group control number (GS06) violates its syntax' },
    '10': { meaning: 'authentication key name unknown' },
    '11': { meaning: 'encryption key name unknown' },
    '12': { meaning: 'requested security service not available' },
    '13': { meaning: 'unknown security recipient' },
    '14': { meaning: 'unknown security originator' },
    '15': { meaning: 'syntax error in decrypted text' },
    '16': { meaning: 'security not supported' },
    '17': { meaning: 'incorrect message length (encryption only)' },
    '18': { meaning: 'message authentication code failed' },
    // Added after 004010; 6 ("group control number violates syntax") is the 004010 code about
    // GS06 itself, and uniqueness is one of GS06's rules, so a 004010 997 says 6.
    '19': { meaning: 'the group control number (GS06) is not unique within the interchange', in004010: '6' },
    '23': { meaning: 'security end segment (S3E) missing for security start segment (S3S)' },
    '24': { meaning: 'security start segment (S3S) missing for security end segment (S3E)' },
    '25': { meaning: 'security end segment (S4E) missing for security start segment (S4S)' },
    '26': { meaning: 'security start segment (S4S) missing for security end segment (S4E)' },
  },
};

/** AK501/IK501 transaction set acknowledgment code. */
export const setStatusCodes: CodeTable = {
  element: 'AK501/IK501',
  codes: {
    A: { meaning: 'the transaction set was accepted' },
    E: { meaning: 'the transaction set was accepted, with errors noted' },
    M: { meaning: 'the transaction set was rejected: message authentication code failed' },
    R: { meaning: 'the transaction set was rejected' },
    W: { meaning: 'the transaction set was rejected: assurance failed validity tests' },
    X: { meaning: 'the transaction set was rejected: content after decryption could not be analysed' },
  },
};

/** AK502..AK506 / IK502..IK506 transaction set syntax error code. */
export const setErrorCodes: CodeTable = {
  element: 'AK502/IK502',
  codes: {
    '1': { meaning: 'the transaction set is not supported' },
    '2': { meaning: 'the transaction set trailer (SE) is missing' },
    '3': { meaning: 'the control numbers in ST02 and SE02 do not match' },
    '4': { meaning: 'the number of included segments (SE01) does not match the actual count' },
    '5': { meaning: 'one or more segments are in error' },
    '6': { meaning: 'the transaction set identifier (ST01) is missing or invalid' },
    '7': { meaning: 'the transaction set control number (ST02) is missing or invalid' },
    '8': { meaning: 'authentication key name unknown' },
    '9': { meaning: 'encryption key name unknown' },
    '10': { meaning: 'requested security service not available' },
    '11': { meaning: 'unknown security recipient' },
    '12': { meaning: 'incorrect message length (encryption only)' },
    '13': { meaning: 'message authentication code failed' },
    '15': { meaning: 'unknown security originator' },
    '16': { meaning: 'syntax error in decrypted text' },
    '17': { meaning: 'security not supported' },
    '18': { meaning: 'the transaction set is not in a functional group' },
    '19': { meaning: 'the implementation convention reference (ST03) is invalid' },
    '23': { meaning: 'the transaction set control number (ST02) is not unique within the functional group' },
    '24': { meaning: 'security end segment (S3E) missing for security start segment (S3S)' },
    '25': { meaning: 'security start segment (S3S) missing for security end segment (S3E)' },
    '26': { meaning: 'security end segment (S4E) missing for security start segment (S4S)' },
    '27': { meaning: 'security start segment (S4S) missing for security end segment (S4E)' },
    I5: { meaning: 'one or more segments are in error against the implementation guide', only: '999' },
    I6: { meaning: 'the implementation convention is not supported', only: '999' },
  },
};

/** AK304/IK304 segment syntax error code. */
export const segmentErrorCodes: CodeTable = {
  element: 'AK304/IK304',
  codes: {
    '1': { meaning: 'unrecognized segment id' },
    '2': { meaning: 'unexpected segment' },
    '3': { meaning: 'mandatory segment missing' },
    '4': { meaning: 'loop occurs more often than allowed' },
    '5': { meaning: 'segment occurs more often than allowed' },
    '6': { meaning: 'segment not defined in this transaction set' },
    '7': { meaning: 'segment not in its proper sequence' },
    '8': { meaning: 'segment has data element errors' },
    I4: { meaning: 'a segment the implementation guide marks "not used" is present', only: '999' },
    I6: { meaning: 'a segment the implementation guide requires in this situation is missing', only: '999' },
    I7: { meaning: 'loop occurs fewer times than the implementation guide requires', only: '999' },
    I8: { meaning: 'segment occurs fewer times than the implementation guide requires', only: '999' },
    I9: { meaning: 'a segment the implementation guide marks "not used" in this situation is present', only: '999' },
  },
};

/** AK403/IK403 data element syntax error code. */
export const elementErrorCodes: CodeTable = {
  element: 'AK403/IK403',
  codes: {
    '1': { meaning: 'mandatory data element missing' },
    '2': { meaning: 'conditionally required data element missing' },
    '3': { meaning: 'too many data elements' },
    '4': { meaning: 'data element too short' },
    '5': { meaning: 'data element too long' },
    '6': { meaning: 'invalid character in data element' },
    '7': { meaning: 'invalid code value' },
    '8': { meaning: 'invalid date' },
    '9': { meaning: 'invalid time' },
    '10': { meaning: 'exclusion condition violated: elements present together that must not be' },
    // Added after 004010; "too many data elements" is the nearest code a 004010 997 can carry.
    '12': { meaning: 'too many repetitions', in004010: '3' },
    '13': { meaning: 'too many components', in004010: '3' },
    I6: { meaning: 'code value not used by the implementation guide', only: '999' },
    I9: { meaning: 'a data element the implementation guide requires in this situation is missing', only: '999' },
    I10: { meaning: 'a data element the implementation guide marks "not used" is present', only: '999' },
    I11: { meaning: 'too few repetitions for the implementation guide', only: '999' },
    I12: { meaning: 'the value does not match the pattern the implementation guide requires', only: '999' },
    I13: { meaning: 'a data element the implementation guide marks "not used" in this situation is present', only: '999' },
  },
};

/** The plain-words meaning of a code, or a note that the code is unknown. */
export function codeMeaning(table: CodeTable, code: string): string {
  return table.codes[code]?.meaning ?? `unknown ${table.element} code "${code}"`;
}

export function isKnownCode(table: CodeTable, code: string): boolean {
  return Object.hasOwn(table.codes, code);
}
