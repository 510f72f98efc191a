package io.cvmsim.api.web;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.CharConversionException;
import java.io.IOException;

/**
 * A request whose body must be well-formed UTF-8 (RFC 8259 8.1: JSON between systems is UTF-8):
 * reading it fails at the first byte that is not part of a valid UTF-8 sequence (Unicode table 3-7:
 * no overlong forms, no surrogates, nothing above U+10FFFF) and at an end inside a sequence. The
 * JSON parser is lenient here: a name with such a byte can even match a known property.
 */
final class Utf8Body extends HttpServletRequestWrapper {

  /** The body is not UTF-8. */
  static final class NotUtf8Exception extends CharConversionException {
    private static final long serialVersionUID = 1L;

    NotUtf8Exception(String message) {
      super(message);
    }
  }

  private ServletInputStream stream;

  Utf8Body(HttpServletRequest request) {
    super(request);
  }

  @Override
  public ServletInputStream getInputStream() throws IOException {
    if (stream == null) {
      stream = new CheckingStream(super.getInputStream());
    }
    return stream;
  }

  private static final class CheckingStream extends ServletInputStream {
    private final ServletInputStream in;
    private long offset;
    private int need;
    private int lo = 0x80;
    private int hi = 0xBF;

    CheckingStream(ServletInputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b < 0) {
        end();
      } else {
        check(b);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = in.read(buf, off, len);
      if (n < 0) {
        end();
      }
      for (int i = off; i < off + n; i++) {
        int b = buf[i] & 0xFF;
        if (need == 0 && b < 0x80) {
          offset++;
        } else {
          check(b);
        }
      }
      return n;
    }

    private void check(int b) throws NotUtf8Exception {
      if (need == 0) {
        if (b < 0x80) {
          need = 0;
        } else if (b >= 0xC2 && b <= 0xDF) {
          expect(1, 0x80, 0xBF);
        } else if (b == 0xE0) {
          expect(2, 0xA0, 0xBF);
        } else if (b == 0xED) {
          expect(2, 0x80, 0x9F);
        } else if (b >= 0xE1 && b <= 0xEF) {
          expect(2, 0x80, 0xBF);
        } else if (b == 0xF0) {
          expect(3, 0x90, 0xBF);
        } else if (b >= 0xF1 && b <= 0xF3) {
          expect(3, 0x80, 0xBF);
        } else if (b == 0xF4) {
          expect(3, 0x80, 0x8F);
        } else {
          throw invalid(b);
        }
      } else if (b < lo || b > hi) {
        throw invalid(b);
      } else {
        expect(need - 1, 0x80, 0xBF);
      }
      offset++;
    }

    private void expect(int bytes, int low, int high) {
      need = bytes;
      lo = low;
      hi = high;
    }

    private NotUtf8Exception invalid(int b) {
      return new NotUtf8Exception(
          String.format("the request body is not UTF-8: byte 0x%02x at offset %d", b, offset));
    }

    private void end() throws NotUtf8Exception {
      if (need > 0) {
        throw new NotUtf8Exception(
            "the request body is not UTF-8: it ends inside a character, at offset " + offset);
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
