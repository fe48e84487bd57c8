import { TCString } from '@iabtechlabtcf/core';

/** What a TC string says, decoded with the IAB's own library. */
export interface TcfSignal {
  cmpId: number;
  /** TCF purposes (1–11) with consent. */
  purposeConsents: number[];
  /** Number of vendors with consent. */
  vendorConsents: number;
  /** First characters of the TC string, to recognise it in the raw cookie without keeping it whole. */
  prefix: string;
}

/** Decodes a TC string (`euconsent-v2`, or `tcData.tcString`); undefined when it is not a valid one. */
export function decodeTcString(tcString: string): TcfSignal | undefined {
  if (!tcString || tcString.length > 20_000) return undefined;
  try {
    const model = TCString.decode(tcString);
    const purposeConsents: number[] = [];
    model.purposeConsents.forEach((consented, id) => {
      if (consented) purposeConsents.push(id);
    });
    return {
      cmpId: Number(model.cmpId),
      purposeConsents,
      vendorConsents: model.vendorConsents.size,
      prefix: tcString.slice(0, 12),
    };
  } catch {
    return undefined;
  }
}

/**
 * accept when at least ten purposes have consent (TCF 2.0 defines ten, TCF 2.2 eleven: an older
 * CMP's accept-all grants ten), reject when none has, custom otherwise. It counts purposes; it does
 * not check which ones.
 */
export function decisionOfTcf(signal: TcfSignal): 'accept' | 'reject' | 'custom' {
  if (!signal.purposeConsents.length) return 'reject';
  return signal.purposeConsents.length >= 10 ? 'accept' : 'custom';
}
