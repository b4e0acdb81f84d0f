/**
 * Text a lookup returned as Jinja's NativeJinjaText (the template lookup with convert_data off):
 * when it is a template's lone output, Ansible's ansible_eval_concat hands it back as text
 * instead of literal_eval'ing "[1, 2]" into a list. Strings carry no mark, so the texts are
 * remembered until the outermost render in progress ends.
 */
const texts = new Set<string>();

export function noteNativeText(text: string): string {
  texts.add(text);
  return text;
}

export function isNativeText(value: unknown): boolean {
  return texts.size > 0 && typeof value === 'string' && texts.has(value);
}

export function forgetNativeTexts(): void {
  texts.clear();
}
