/**
 * A structural check of Arrow IPC bytes (file or stream format) before apache-arrow decodes them.
 *
 * apache-arrow trusts the flatbuffer metadata it reads: a damaged file fails with "Cannot read
 * properties of null (reading 'fieldsLength')", and one whose damaged metadata claims millions
 * of fields or buffers makes it loop for minutes on the page's own thread. Here every message's
 * header is checked to exist and to be of the expected kind, and every count and length to fit
 * in the bytes there are, so such a file is refused at once as not a valid Arrow file.
 */
import { ByteBuffer } from 'flatbuffers';
import { Footer } from 'apache-arrow/fb/footer';
import { Message } from 'apache-arrow/fb/message';
import { MessageHeader } from 'apache-arrow/fb/message-header';
import { RecordBatch } from 'apache-arrow/fb/record-batch';
import { DictionaryBatch } from 'apache-arrow/fb/dictionary-batch';
import { Schema } from 'apache-arrow/fb/schema';
import type { Field } from 'apache-arrow/fb/field';

export class ArrowShapeError extends Error {}

const FILE_MAGIC = 'ARROW1';
const MAX_FIELD_DEPTH = 64;

export function checkArrowShape(bytes: Uint8Array): void {
  const magic = String.fromCharCode(...bytes.subarray(0, 6));
  if (magic === FILE_MAGIC) checkFile(bytes);
  else checkStream(bytes, 0, bytes.byteLength, true);
}

function fail(what: string): never {
  throw new ArrowShapeError(what);
}

function checkFile(bytes: Uint8Array): void {
  const n = bytes.byteLength;
  if (n < 18 || String.fromCharCode(...bytes.subarray(n - 6)) !== FILE_MAGIC) {
    fail('it starts like an Arrow file but does not end with ARROW1: the file is truncated');
  }
  const footerLength = view(bytes).getInt32(n - 10, true);
  if (footerLength <= 0 || footerLength > n - 18) fail(`its footer length (${footerLength}) does not fit the file`);
  const footerBytes = bytes.subarray(n - 10 - footerLength, n - 10);
  const footer = Footer.getRootAsFooter(new ByteBuffer(footerBytes));
  const schema = footer.schema();
  if (!schema) fail('its footer has no schema');
  checkSchema(schema, footerBytes.byteLength);
  const blocks = footer.recordBatchesLength() + footer.dictionariesLength();
  if (blocks * 24 > footerBytes.byteLength) fail('its footer lists more record batches than it can hold');
  const check = (offset: bigint, metaLength: number, bodyLength: bigint, kind: 'record batch' | 'dictionary') => {
    const start = Number(offset);
    const end = start + metaLength + Number(bodyLength);
    if (start < 8 || metaLength <= 0 || end > n) fail(`a ${kind} listed in its footer lies outside the file`);
    checkStream(bytes, start, start + metaLength + Number(bodyLength), false);
  };
  for (let i = 0; i < footer.recordBatchesLength(); i++) {
    const b = footer.recordBatches(i)!;
    check(b.offset(), b.metaDataLength(), b.bodyLength(), 'record batch');
  }
  for (let i = 0; i < footer.dictionariesLength(); i++) {
    const b = footer.dictionaries(i)!;
    check(b.offset(), b.metaDataLength(), b.bodyLength(), 'dictionary');
  }
}

/** Walk the messages between `from` and `to`; a stream must open with its schema. */
function checkStream(bytes: Uint8Array, from: number, to: number, needSchema: boolean): void {
  const dv = view(bytes);
  let at = from;
  let first = true;
  while (at + 4 <= to) {
    let length = dv.getInt32(at, true);
    at += 4;
    if (length === -1) {
      // Since Arrow 0.15 a message starts with 0xFFFFFFFF, then its length.
      if (at + 4 > to) fail('it ends in the middle of a message');
      length = dv.getInt32(at, true);
      at += 4;
    }
    if (length === 0) return; // end of stream
    if (length < 0 || at + length > to) fail(`a message claims ${length} bytes of metadata, more than the file has`);
    const meta = bytes.subarray(at, at + length);
    const message = Message.getRootAsMessage(new ByteBuffer(meta));
    const body = Number(message.bodyLength());
    if (!Number.isFinite(body) || body < 0 || at + length + body > to) {
      fail('a message claims a body longer than the file');
    }
    const type = message.headerType();
    if (first && needSchema && type !== MessageHeader.Schema) fail('it does not begin with a schema');
    if (type === MessageHeader.Schema) {
      const schema = message.header(new Schema()) as Schema | null;
      if (!schema) fail('its schema message is empty');
      checkSchema(schema, length);
    } else if (type === MessageHeader.RecordBatch) {
      const batch = message.header(new RecordBatch()) as RecordBatch | null;
      if (!batch) fail('a record batch message is empty');
      checkBatch(batch, length, body);
    } else if (type === MessageHeader.DictionaryBatch) {
      const dict = message.header(new DictionaryBatch()) as DictionaryBatch | null;
      const data = dict?.data();
      if (!data) fail('a dictionary message is empty');
      checkBatch(data, length, body);
    } else {
      fail(`a message has an unknown kind (${type})`);
    }
    first = false;
    at += length + body;
  }
  if (needSchema && first) fail('it holds no Arrow messages');
}

function checkSchema(schema: Schema, metaBytes: number): void {
  let seen = 0;
  const fields = (count: number, get: (i: number) => Field | null, depth: number) => {
    if (depth > MAX_FIELD_DEPTH) fail('its schema nests deeper than any real table');
    if (count * 4 > metaBytes) fail('its schema claims more fields than it can hold');
    for (let i = 0; i < count; i++) {
      if (++seen * 4 > metaBytes) fail('its schema claims more fields than it can hold');
      const f = get(i);
      if (!f) fail('a field of its schema is missing');
      fields(f.childrenLength(), (j) => f.children(j), depth + 1);
    }
  };
  fields(schema.fieldsLength(), (i) => schema.fields(i), 0);
  if (schema.fieldsLength() === 0) fail('its schema has no columns');
}

function checkBatch(batch: RecordBatch, metaBytes: number, body: number): void {
  if (batch.nodesLength() * 16 > metaBytes || batch.buffersLength() * 16 > metaBytes) {
    fail('a record batch claims more columns than its metadata holds');
  }
  for (let i = 0; i < batch.buffersLength(); i++) {
    const b = batch.buffers(i);
    if (!b || Number(b.offset()) + Number(b.length()) > body || Number(b.offset()) < 0 || Number(b.length()) < 0) {
      fail('a record batch points outside its own data');
    }
  }
  if (Number(batch.length()) < 0) fail('a record batch has a negative row count');
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
