/** Errors become text in one place, shared with the Electron shell's startup dialog. */
export { describeError } from '../../../shared/i18n/describe-error';
