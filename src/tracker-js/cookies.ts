// Cookie text in and out. Pure string work: the entry point owns document.cookie.

/** The value of the first cookie called `name` in a `document.cookie` string. */
export function readCookie(cookies: string, name: string): string | undefined {
  for (const cookie of cookies.split(/; */)) {
    if (cookie.slice(0, name.length + 1) == name + '=') return cookie.slice(name.length + 1);
  }
  return undefined;
}
