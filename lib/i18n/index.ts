export { LANGS, MESSAGES, MESSAGE_KEYS, isLang, langOf, type Lang, type MessageKey } from './messages';
export {
  keySegment,
  list,
  placeholdersOf,
  render,
  text,
  translate,
  type Param,
  type Params,
  type Text,
  type TextList,
} from './translate';
