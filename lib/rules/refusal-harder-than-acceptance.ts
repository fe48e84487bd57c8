import { contrastRatio } from '../consent/contrast';
import type { ChoicePath, ControlMeasure } from '../journey';
import type { AuditContext } from '../engine/context';
import { evidenceOf } from '../engine/evidence';
import { withNote } from '../engine/evidence-note';
import type { Finding } from '../findings';
import { list, text, type Text } from '../i18n';
import { finding, findingMessage } from './finding';

/** Below these ratios of the accept control's measure, the refuse control is "markedly" smaller or fainter. */
export const MARKEDLY = { area: 0.5, fontSize: 0.8, contrast: 0.5 } as const;
/** WCAG's minimum contrast for large text: a refuse label under it, beside an accept label above it, is hard to see. */
const LEGIBLE = 3;

const describe = (c: ControlMeasure): Text =>
  text('fragment.control', {
    text: c.text,
    tag: c.tag,
    width: Math.round(c.width),
    height: Math.round(c.height),
    fontSize: c.fontSize,
    color: c.color,
    background: c.background,
    contrast: contrastRatio(c.color, c.background) ?? '?',
  });

/** The ways refusing is harder than accepting on this banner, as message texts; empty when it is not. */
export function refusalProblems(accept: ChoicePath | undefined, refuse: ChoicePath | undefined): Text[] {
  if (!accept) return [];
  if (!refuse) return [text('fragment.refusal.none')];
  const problems: Text[] = [];
  if (refuse.layer > 0 && accept.layer === 0)
    problems.push(text('fragment.refusal.notFirstLayer', { layer: refuse.layer + 1 }));
  if (refuse.steps > accept.steps)
    problems.push(text('fragment.refusal.moreSteps', { refuse: refuse.steps, accept: accept.steps }));
  const a = accept.control;
  const r = refuse.control;
  const area = (c: ControlMeasure) => c.width * c.height;
  if (area(a) > 0 && area(r) < area(a) * MARKEDLY.area)
    problems.push(text('fragment.refusal.smaller', { percent: Math.round((area(r) / area(a)) * 100) }));
  if (a.fontSize > 0 && r.fontSize < a.fontSize * MARKEDLY.fontSize)
    problems.push(text('fragment.refusal.smallerText', { refuse: r.fontSize, accept: a.fontSize }));
  const ca = contrastRatio(a.color, a.background);
  const cr = contrastRatio(r.color, r.background);
  if (ca !== undefined && cr !== undefined && (cr < ca * MARKEDLY.contrast || (cr < LEGIBLE && ca >= LEGIBLE)))
    problems.push(text('fragment.refusal.fainter', { refuse: cr, accept: ca }));
  return problems;
}

/**
 * Refusing is harder than accepting: no refusal on the first layer, more clicks to refuse, or a
 * refuse control markedly smaller or fainter than the accept one (CNIL recommendation 2020-092:
 * refusing must be as easy as accepting, with the same level of visibility; EDPB cookie banner
 * taskforce, January 2023: no reject option on the first layer, deceptive button design). Judged on
 * the banner the extension measured (`banner-measured`), before any choice.
 */
export function refusalHarderThanAcceptance(ctx: AuditContext): Finding[] {
  const measured = ctx.byKind.consent.filter((o) => o.event === 'banner-measured' && o.measure);
  const last = measured.at(-1);
  if (!last || last.kind !== 'consent' || !last.measure) return [];
  const { accept, refuse } = last.measure;
  const problems = refusalProblems(accept, refuse);
  if (!problems.length || !accept) return [];
  return [
    finding(ctx, 'refusal-harder-than-acceptance', {
      subject: { kind: 'banner', key: 'banner', label: 'consent banner' },
      message: findingMessage(
        'refusal-harder-than-acceptance',
        {},
        {
          problems: list(problems, 'comma'),
          accept: describe(accept.control),
          acceptSteps: accept.steps,
          refuse: refuse
            ? text('fragment.refusal.refuseControl', { control: describe(refuse.control), steps: refuse.steps })
            : text('fragment.end'),
        },
      ),
      policyRefs: [],
      evidence: [withNote(evidenceOf(last), text('evidenceNote.problems', { problems: list(problems, 'semicolon') }))],
    }),
  ];
}
