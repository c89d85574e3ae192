// Stable codes for everything the X12 reader and validator can find wrong.
// Each entry carries the acknowledgment code it feeds (docs/x12.md#acknowledgments).
import type { CatalogEntry } from '../types.js';

export const x12Codes = {
  // ---- file level -------------------------------------------------------
  X12_EMPTY_FILE: {
    severity: 'error', scope: 'file',
    meaning: 'The file is empty or holds only white space.',
    fix: 'Ask the partner to resend the file; an empty upload is usually a failed transfer.',
  },
  X12_NOT_X12: {
    severity: 'error', scope: 'file',
    meaning: 'The file does not start with an ISA segment (after an optional byte-order mark and white space).',
    fix: 'Check that the partner sent an X12 file and not another format (EDIFACT, XML, PDF) or a file with a header.',
  },
  X12_NO_ENVELOPE: {
    severity: 'error', scope: 'file',
    meaning: 'The file holds a transaction set or group without the ISA interchange envelope around it.',
    fix: 'Ask the partner to send complete interchanges (ISA ... IEA); bare ST..SE cannot be acknowledged or routed.',
  },
  X12_TRAILING_DATA: {
    // No TA1 code: the bytes belong to no interchange, and the ones before them are complete.
    severity: 'error', scope: 'file',
    meaning: 'Bytes after the last IEA that are neither white space, NUL, Ctrl-Z nor a new ISA. They belong to no interchange, so no TA1 reports them; the file records them.',
    fix: 'Ask the partner to remove what follows the IEA; the interchanges before it are processed as usual.',
  },
  X12_TRAILING_PADDING: {
    severity: 'warning', scope: 'file',
    meaning: 'NUL or Ctrl-Z padding after the last IEA was ignored.',
    fix: 'Nothing to do; some mainframe transfers pad their last block.',
  },
  X12_TRUNCATED: {
    severity: 'error', scope: 'interchange', ack: { ta1: '023' },
    meaning: 'The file ends before the interchange is complete (missing segment terminator or trailers).',
    fix: 'The transfer was probably interrupted: ask the partner to resend the whole interchange.',
  },
  // ---- segment syntax ---------------------------------------------------
  X12_EMPTY_SEGMENT: {
    severity: 'warning', scope: 'segment',
    meaning: 'An empty segment (two terminators in a row) was ignored.',
    fix: 'Nothing to do; tell the partner their generator writes empty segments.',
  },
  X12_LOWERCASE_TAG: {
    severity: 'warning', scope: 'segment',
    meaning: 'A segment tag is not in upper case; it was read as upper case, its data was left as is.',
    fix: 'Nothing to do; tell the partner their tags should be upper case.',
  },
  X12_INVALID_TAG: {
    severity: 'error', scope: 'segment', ack: { ak3: '1' },
    meaning: 'A segment tag is not 2 or 3 letters and digits.',
    fix: 'The file is damaged or its delimiters are wrong; ask the partner to resend.',
  },
  X12_HARD_WRAPPED: {
    severity: 'warning', scope: 'interchange',
    meaning: 'Line breaks inside segments were removed (the file was wrapped at a fixed width).',
    fix: 'Nothing to do; the partner or a transfer program wraps lines.',
  },
  X12_TRAILING_SPACES: {
    severity: 'warning', scope: 'segment',
    meaning: 'Spaces at the end of a line-terminated segment were ignored.',
    fix: 'Nothing to do.',
  },
  // ---- ISA / IEA ----------------------------------------------------------
  X12_ISA_WIDTH: {
    severity: 'error', scope: 'interchange', ack: { ta1: '022' },
    meaning: 'The ISA segment is not 106 characters long: its fixed-width elements are not padded.',
    fix: 'Ask the partner to pad ISA elements to their fixed widths, or allow a variable-width ISA in the partner settings.',
  },
  X12_ISA_ELEMENT_COUNT: {
    severity: 'error', scope: 'interchange', ack: { ta1: '022' },
    meaning: 'The ISA segment does not have exactly 16 elements.',
    fix: 'Ask the partner to correct the ISA segment.',
  },
  X12_ELEMENT_SEPARATOR_INVALID: {
    severity: 'error', scope: 'interchange', ack: { ta1: '026' },
    meaning: 'The element separator (4th byte of the ISA) is a letter, digit or space.',
    fix: 'Ask the partner to use a special character such as * as the element separator.',
  },
  X12_COMPONENT_SEPARATOR_INVALID: {
    severity: 'error', scope: 'interchange', ack: { ta1: '027' },
    meaning: 'The component separator (ISA16) is a letter or digit, or the same as another delimiter.',
    fix: 'Ask the partner to use a distinct special character in ISA16, such as > or :.',
  },
  X12_COMPONENT_SEPARATOR_MISSING: {
    severity: 'warning', scope: 'interchange',
    meaning: 'ISA16 (the component separator) is missing; composite elements are read as single values.',
    fix: 'Ask the partner to send ISA16.',
  },
  X12_SEGMENT_TERMINATOR_INVALID: {
    severity: 'error', scope: 'interchange', ack: { ta1: '004' },
    meaning: 'The segment terminator (the byte after ISA16) is a letter, digit, space or another delimiter.',
    fix: 'Ask the partner to end segments with a special character such as ~ or a line break.',
  },
  X12_ISA_AUTHORIZATION: {
    severity: 'error', scope: 'interchange', ack: { ta1: '010' },
    meaning: 'ISA01 (authorization information qualifier) is not 00 to 06, or ISA03 (security information qualifier) is not 00 or 01.',
    fix: 'Ask the partner to correct ISA01/ISA03.',
  },
  X12_ISA_SENDER: {
    severity: 'error', scope: 'interchange', ack: { ta1: '005' },
    meaning: 'ISA05/ISA06 interchange sender qualifier or id is missing or invalid.',
    fix: 'Ask the partner to correct ISA05/ISA06; check the partner settings hold the same id.',
  },
  X12_ISA_RECEIVER: {
    severity: 'error', scope: 'interchange', ack: { ta1: '007' },
    meaning: 'ISA07/ISA08 interchange receiver qualifier or id is missing or invalid.',
    fix: 'Ask the partner to correct ISA07/ISA08.',
  },
  X12_ISA_DATE: {
    severity: 'error', scope: 'interchange', ack: { ta1: '014' },
    meaning: 'ISA09 is not a valid date (YYMMDD).',
    fix: 'Ask the partner to correct ISA09.',
  },
  X12_ISA_TIME: {
    severity: 'error', scope: 'interchange', ack: { ta1: '015' },
    meaning: 'ISA10 is not a valid time (HHMM).',
    fix: 'Ask the partner to correct ISA10.',
  },
  X12_ISA_STANDARDS_ID: {
    severity: 'warning', scope: 'interchange', ack: { ta1: '016' },
    meaning: 'ISA11 is neither U (before version 00402) nor a usable repetition separator; the interchange is read without splitting repeated elements (a TA1 of an otherwise valid interchange says E 016).',
    fix: 'Ask the partner to correct ISA11.',
  },
  X12_ISA_VERSION: {
    severity: 'error', scope: 'interchange', ack: { ta1: '017' },
    meaning: 'ISA12 is not a valid interchange control version (five digits such as 00401 or 00501).',
    fix: 'Ask the partner to correct ISA12.',
  },
  X12_ISA_CONTROL_NUMBER: {
    severity: 'error', scope: 'interchange', ack: { ta1: '018' },
    meaning: 'ISA13 is not a nine-digit number.',
    fix: 'Ask the partner to send ISA13 as nine digits, zero-padded.',
  },
  X12_ISA_ACK_REQUESTED: {
    severity: 'error', scope: 'interchange', ack: { ta1: '019' },
    meaning: 'ISA14 (acknowledgment requested) is neither 0 nor 1.',
    fix: 'Ask the partner to correct ISA14.',
  },
  X12_ISA_USAGE: {
    severity: 'error', scope: 'interchange', ack: { ta1: '020' },
    meaning: 'ISA15 (usage indicator) is not P, T or I.',
    fix: 'Ask the partner to correct ISA15.',
  },
  X12_IEA_MISSING: {
    severity: 'error', scope: 'interchange', ack: { ta1: '023' },
    meaning: 'The interchange has no IEA trailer.',
    fix: 'The file was cut short or badly assembled: ask the partner to resend the interchange.',
  },
  X12_IEA_CONTROL_MISMATCH: {
    severity: 'error', scope: 'interchange', ack: { ta1: '001' },
    meaning: 'IEA02 does not match ISA13.',
    fix: 'Ask the partner to correct the interchange control numbers.',
  },
  X12_IEA_COUNT: {
    severity: 'error', scope: 'interchange', ack: { ta1: '021' },
    meaning: 'IEA01 does not equal the number of functional groups in the interchange.',
    fix: 'Ask the partner to correct IEA01; the groups themselves were read.',
  },
  X12_INTERCHANGE_DUPLICATE: {
    severity: 'error', scope: 'interchange', ack: { ta1: '025' },
    meaning: 'An interchange with the same sender and control number (ISA13) was already received.',
    fix: 'Nothing is posted twice. If the partner meant to send new data, ask them to use a new ISA13.',
  },
  X12_INTERCHANGE_CONTENT: {
    severity: 'error', scope: 'interchange', ack: { ta1: '024' },
    meaning: 'A segment appears where the interchange envelope does not allow it (for example outside a functional group).',
    fix: 'Ask the partner to correct the envelope structure.',
  },
  // ---- GS / GE --------------------------------------------------------------
  X12_GS_ELEMENTS: {
    severity: 'error', scope: 'group', ack: { ak9: '1' },
    meaning: 'The GS segment is missing mandatory elements (GS01-GS08).',
    fix: 'Ask the partner to correct the GS segment.',
  },
  X12_GS_CONTROL_NUMBER: {
    severity: 'error', scope: 'group', ack: { ak9: '6' },
    meaning: 'GS06 (group control number) is not a number of 1 to 9 digits.',
    fix: 'Ask the partner to correct GS06.',
  },
  X12_GS_DUPLICATE: {
    severity: 'error', scope: 'group', ack: { ak9: '19' },
    meaning: 'GS06 is used by more than one functional group in the interchange (a 997 before 005010, which has no code 19, says AK905 6).',
    fix: 'Ask the partner to number groups uniquely within an interchange.',
  },
  X12_GS_VERSION: {
    severity: 'error', scope: 'group', ack: { ak9: '2' },
    meaning: 'GS08 does not name a version this gateway reads (004010 or 005010 and their variants).',
    fix: 'Ask the partner which version they send, or agree on 004010 or 005010.',
  },
  X12_GS_VERSION_MISMATCH: {
    severity: 'warning', scope: 'group',
    meaning: 'GS08 names another version than ISA12; the transaction sets are read by GS08.',
    fix: 'Nothing to do unless the partner meant otherwise.',
  },
  X12_GS_DATE: {
    severity: 'warning', scope: 'group',
    meaning: 'GS04 is not a valid date (CCYYMMDD) or GS05 not a valid time.',
    fix: 'Ask the partner to correct GS04/GS05.',
  },
  X12_GE_MISSING: {
    severity: 'error', scope: 'group', ack: { ak9: '3' },
    meaning: 'The functional group has no GE trailer.',
    fix: 'Ask the partner to resend the group; none of its sets is posted.',
  },
  X12_GE_CONTROL_MISMATCH: {
    severity: 'error', scope: 'group', ack: { ak9: '4' },
    meaning: 'GE02 does not match GS06.',
    fix: 'Ask the partner to correct the group control numbers.',
  },
  X12_GE_COUNT: {
    severity: 'error', scope: 'group', ack: { ak9: '5' },
    meaning: 'GE01 does not equal the number of transaction sets in the group.',
    fix: 'Ask the partner to correct GE01.',
  },
  X12_GROUP_CONTENT: {
    severity: 'error', scope: 'group', ack: { ak9: '1' },
    meaning: 'A segment appears inside the functional group but outside any transaction set.',
    fix: 'Ask the partner to correct the group structure.',
  },
  // ---- ST / SE ----------------------------------------------------------------
  X12_ST_SET_ID: {
    severity: 'error', scope: 'transaction', ack: { ak5: '6' },
    meaning: 'ST01 is missing or does not belong to the functional group (GS01).',
    fix: 'Ask the partner to send each transaction set in a group of its kind (PO for 850, PR for 855, SH for 856, IN for 810, FA for 997/999).',
  },
  X12_ST_CONTROL_NUMBER: {
    severity: 'error', scope: 'transaction', ack: { ak5: '7' },
    meaning: 'ST02 is missing or not 4 to 9 characters.',
    fix: 'Ask the partner to correct ST02.',
  },
  X12_ST_DUPLICATE: {
    severity: 'error', scope: 'transaction', ack: { ak5: '23' },
    meaning: 'ST02 is used by more than one transaction set in the group.',
    fix: 'Ask the partner to number transaction sets uniquely within a group.',
  },
  X12_SE_MISSING: {
    severity: 'error', scope: 'transaction', ack: { ak5: '2' },
    meaning: 'The transaction set has no SE trailer; it is not posted.',
    fix: 'Ask the partner to resend the transaction set.',
  },
  X12_SE_CONTROL_MISMATCH: {
    severity: 'error', scope: 'transaction', ack: { ak5: '3' },
    meaning: 'SE02 does not match ST02.',
    fix: 'Ask the partner to correct the transaction set control numbers.',
  },
  X12_SE_COUNT: {
    severity: 'error', scope: 'transaction', ack: { ak5: '4' },
    meaning: 'SE01 does not equal the number of segments in the transaction set (ST and SE included).',
    fix: 'Ask the partner to correct SE01; segments may have been added or lost.',
  },
  X12_SET_UNSUPPORTED: {
    severity: 'error', scope: 'transaction', ack: { ak5: '1' },
    meaning: 'This gateway has no specification for the transaction set in this version.',
    fix: 'Agree with the partner on a supported set (850, 855, 856, 810, 997, 999) and version (004010, 005010).',
  },
  // ---- validation against specs: segments (AK3/IK3) -----------------------------
  X12_SEGMENT_UNRECOGNIZED: {
    severity: 'error', scope: 'segment', ack: { ak3: '1', ak5: '5' },
    meaning: 'The segment tag is not an X12 segment this transaction set knows.',
    fix: 'Ask the partner to remove or correct the segment.',
  },
  X12_SEGMENT_UNEXPECTED: {
    severity: 'error', scope: 'segment', ack: { ak3: '2', ak5: '5' },
    meaning: 'The segment belongs to this transaction set but not at this place.',
    fix: 'Ask the partner to move the segment to its place in the set.',
  },
  X12_SEGMENT_MISSING: {
    severity: 'error', scope: 'segment', ack: { ak3: '3', ak5: '5' },
    meaning: 'A mandatory segment is missing.',
    fix: 'Ask the partner to send the mandatory segment.',
  },
  X12_LOOP_OVER_MAX: {
    severity: 'error', scope: 'segment', ack: { ak3: '4', ak5: '5' },
    meaning: 'A loop repeats more often than the standard allows.',
    fix: 'Ask the partner to split the document.',
  },
  X12_SEGMENT_OVER_MAX: {
    severity: 'error', scope: 'segment', ack: { ak3: '5', ak5: '5' },
    meaning: 'A segment repeats more often than the standard allows at this place.',
    fix: 'Ask the partner to remove the extra segments.',
  },
  X12_SEGMENT_NOT_IN_SET: {
    severity: 'error', scope: 'segment', ack: { ak3: '6', ak5: '5' },
    meaning: 'The segment is a valid X12 segment but not defined in this transaction set.',
    fix: 'Ask the partner to remove the segment.',
  },
  X12_SEGMENT_OUT_OF_ORDER: {
    severity: 'error', scope: 'segment', ack: { ak3: '7', ak5: '5' },
    meaning: 'The segment appears after segments that must follow it.',
    fix: 'Ask the partner to send segments in the standard order.',
  },
  // ---- validation against specs: elements (AK4/IK4) -------------------------------
  X12_ELEMENT_MISSING: {
    severity: 'error', scope: 'element', ack: { ak4: '1', ak3: '8', ak5: '5' },
    meaning: 'A mandatory element is empty.',
    fix: 'Ask the partner to send the element.',
  },
  X12_ELEMENT_CONDITIONAL_MISSING: {
    severity: 'error', scope: 'element', ack: { ak4: '2', ak3: '8', ak5: '5' },
    meaning: 'An element required by another element of the segment (a syntax note) is empty.',
    fix: 'Ask the partner to send the element, or to leave out the element that requires it.',
  },
  X12_ELEMENT_TOO_MANY: {
    severity: 'error', scope: 'element', ack: { ak4: '3', ak3: '8', ak5: '5' },
    meaning: 'The segment has more elements than the standard defines.',
    fix: 'Ask the partner to remove the extra elements.',
  },
  X12_ELEMENT_TOO_SHORT: {
    severity: 'error', scope: 'element', ack: { ak4: '4', ak3: '8', ak5: '5' },
    meaning: 'An element is shorter than its minimum length.',
    fix: 'Ask the partner to send the full value (numbers and ids may need padding).',
  },
  X12_ELEMENT_TOO_LONG: {
    severity: 'error', scope: 'element', ack: { ak4: '5', ak3: '8', ak5: '5' },
    meaning: 'An element is longer than its maximum length.',
    fix: 'Ask the partner to shorten the value.',
  },
  X12_ELEMENT_INVALID_CHARACTER: {
    severity: 'error', scope: 'element', ack: { ak4: '6', ak3: '8', ak5: '5' },
    meaning: 'An element holds characters its data type does not allow (for example letters in a number).',
    fix: 'Ask the partner to correct the value.',
  },
  X12_ELEMENT_INVALID_CODE: {
    severity: 'error', scope: 'element', ack: { ak4: '7', ak3: '8', ak5: '5' },
    meaning: 'An identifier element holds a code that is not in its code list.',
    fix: 'Ask the partner to use one of the listed codes.',
  },
  X12_ELEMENT_INVALID_DATE: {
    severity: 'error', scope: 'element', ack: { ak4: '8', ak3: '8', ak5: '5' },
    meaning: 'A date element is not a valid date (CCYYMMDD).',
    fix: 'Ask the partner to correct the date.',
  },
  X12_ELEMENT_INVALID_TIME: {
    severity: 'error', scope: 'element', ack: { ak4: '9', ak3: '8', ak5: '5' },
    meaning: 'A time element is not a valid time (HHMM, HHMMSS or HHMMSSd..).',
    fix: 'Ask the partner to correct the time.',
  },
  X12_ELEMENT_EXCLUSION: {
    severity: 'error', scope: 'element', ack: { ak4: '10', ak3: '8', ak5: '5' },
    meaning: 'Two elements are both present although the standard allows only one of them.',
    fix: 'Ask the partner to send only one of the elements.',
  },
  X12_ELEMENT_TOO_MANY_REPETITIONS: {
    severity: 'error', scope: 'element', ack: { ak4: '12', ak3: '8', ak5: '5' },
    meaning: 'A repeating element repeats more often than allowed.',
    fix: 'Ask the partner to remove the extra repetitions.',
  },
  X12_ELEMENT_TOO_MANY_COMPONENTS: {
    severity: 'error', scope: 'element', ack: { ak4: '13', ak3: '8', ak5: '5' },
    meaning: 'A composite element has more components than the standard defines.',
    fix: 'Ask the partner to remove the extra components.',
  },
  // ---- the partner's implementation guide (docs/x12.md#implementation-guides) ----
  // Standard codes, not the 999-only I-codes: retail partners mostly take a 997 (docs/x12.md#which-one-997-or-999).
  X12_GUIDE_SEGMENT_MISSING: {
    severity: 'error', scope: 'segment', ack: { ak3: '3', ak5: '5' },
    meaning: "A segment the partner's implementation guide requires is missing (the message names the guide and its rule).",
    fix: "Ask the partner to send the segment; for what we send, fill in Odoo what the guide's rule needs, then build again.",
  },
  X12_GUIDE_SEGMENT_FORBIDDEN: {
    severity: 'error', scope: 'segment', ack: { ak3: '2', ak5: '5' },
    meaning: "A segment the partner's implementation guide does not use is present.",
    fix: 'Ask the partner to leave the segment out; for what we send, change what produces it, then build again.',
  },
  X12_GUIDE_SEGMENT_OVER_MAX: {
    severity: 'error', scope: 'segment', ack: { ak3: '5', ak5: '5' },
    meaning: "A segment repeats more often than the partner's implementation guide allows.",
    fix: 'Ask the partner to remove the extra segments; for what we send, change what produces them, then build again.',
  },
  X12_GUIDE_ELEMENT_MISSING: {
    severity: 'error', scope: 'element', ack: { ak4: '1', ak3: '8', ak5: '5' },
    meaning: "An element the partner's implementation guide requires is empty.",
    fix: 'Ask the partner to send the element; for what we send, fill in Odoo what the guide names, then build again.',
  },
  X12_GUIDE_CODE_NOT_ALLOWED: {
    severity: 'error', scope: 'element', ack: { ak4: '7', ak3: '8', ak5: '5' },
    meaning: "An element holds a value the partner's implementation guide does not allow (a restricted code list or a fixed value).",
    fix: 'Ask the partner to use one of the codes its guide lists; for what we send, change the value where it comes from.',
  },
  X12_GUIDE_TOO_SHORT: {
    severity: 'error', scope: 'element', ack: { ak4: '4', ak3: '8', ak5: '5' },
    meaning: "An element is shorter than the partner's implementation guide requires.",
    fix: 'Ask the partner to send the full value; for what we send, correct the value where it comes from.',
  },
  X12_GUIDE_TOO_LONG: {
    severity: 'error', scope: 'element', ack: { ak4: '5', ak3: '8', ak5: '5' },
    meaning: "An element is longer than the partner's implementation guide allows.",
    fix: 'Ask the partner to shorten the value; for what we send, shorten it where it comes from.',
  },
  // ---- writing X12 (what we send) ----------------------------------------------
  X12_WRITE_DELIMITER_IN_DATA: {
    severity: 'error', scope: 'element', retry: 'business',
    meaning: 'A value we are to send contains one of the delimiters of the interchange (or a line break), which would split the element; nothing is written.',
    fix: "Change the value where it comes from (Odoo, the partner file), or choose other delimiters for the partner; then replay.",
  },
} as const satisfies Record<string, CatalogEntry>;

export type X12Code = keyof typeof x12Codes;
