// A Response whose body diditFetch has read already (to cap it): the text is handed out as is, and a
// body stream is built only if someone asks for one. Node builds a web stream for every
// `new Response(text)`, the costliest step of handing a read body back (bench/: raw's time per call).

export class ReadResponse extends Response {
  readonly #text: string;
  readonly #url: string;
  #used = false;
  // The same body as a real Response, built on first need (a stream, a Blob, form data).
  #real: Response | undefined;

  constructor(text: string, from: Response) {
    super(null, { status: from.status, statusText: from.statusText, headers: from.headers });
    this.#text = text;
    this.#url = from.url;
  }

  #materialized(): Response {
    if (!this.#real) {
      // Its headers too: blob() takes its type from content-type, formData() its format.
      this.#real = new Response(this.#text || null, { headers: this.headers });
      // Read once already: the copy is spent too, so every later read fails as fetch's would.
      if (this.#used) void this.#real.text().catch(() => {});
    }
    return this.#real;
  }

  override get url(): string {
    return this.#url;
  }
  override get body(): Response['body'] {
    return this.#text ? this.#materialized().body : null;
  }
  override get bodyUsed(): boolean {
    return this.#real ? this.#real.bodyUsed : this.#used;
  }
  override text(): Promise<string> {
    // No body (an empty one is none) is never used up, as with `new Response(null)`.
    if (this.#real || !this.#text) return this.#materialized().text();
    if (this.#used) return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
    this.#used = true;
    return Promise.resolve(this.#text);
  }
  override async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
  override bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return this.#materialized().bytes();
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return this.#materialized().arrayBuffer();
  }
  override blob(): Promise<Blob> {
    return this.#materialized().blob();
  }
  override formData(): Promise<FormData> {
    return this.#materialized().formData();
  }
  override clone(): Response {
    if (this.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.');
    return new ReadResponse(this.#text, this);
  }
}
