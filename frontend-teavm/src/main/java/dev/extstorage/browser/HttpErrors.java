package dev.extstorage.browser;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.NumberText;

/**
 * Turns an HTTP error answer of the storage server into what a promise rejects with: the code, the message and
 * the {@code Retry-After} delay. The server's own JSON {@code {"message", "code"}} wins; a body without a code
 * (a proxy's HTML page, an empty body) gets the code of its status ({@link ErrorCode#forStatus}).
 */
final class HttpErrors {
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    private HttpErrors() {
    }

    /**
     * The code for an error answer: {@code bodyCode} if it is a non-empty string (a code this version does not
     * know is passed on too), else the code of the status.
     */
    static String code(int status, String bodyCode) {
        return bodyCode == null || bodyCode.isEmpty() ? ErrorCode.forStatus(status).name() : bodyCode;
    }

    /** {@code bodyMessage} if it is a non-empty string, else a message naming the status. */
    static String message(int status, String bodyMessage) {
        return bodyMessage != null && !bodyMessage.isEmpty() ? bodyMessage
                : "The storage server answered HTTP " + NumberText.decimal(status);
    }

    /**
     * The seconds to wait that a {@code Retry-After} header value gives at {@code nowMillis} (Unix time), or -1
     * for none ({@code null}) or garbage. Delta seconds (ASCII digits only, so no sign, fraction, exponent or
     * surrounding space, which {@code fetch} has already stripped) as they are; an HTTP-date (RFC 9110:
     * IMF-fixdate, the obsolete RFC 850 and asctime forms) as the seconds from now to it, rounded up, at
     * least 0. At most {@link Integer#MAX_VALUE}.
     */
    static int retryAfter(String value, double nowMillis) {
        if (value == null) {
            return -1;
        }
        double seconds = digits(value, 0, value.length());
        if (seconds < 0) {
            double at = httpDate(value, nowMillis);
            if (at != at) {
                return -1;
            }
            seconds = Math.max(0, Math.ceil((at - nowMillis) / 1000));
        }
        return seconds > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) seconds;
    }

    /** The number the ASCII digits {@code s[from, to)} spell, or -1 if there are none or anything else. */
    private static double digits(String s, int from, int to) {
        double n = from < to ? 0 : -1;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /**
     * The Unix time in milliseconds of an HTTP-date, or NaN: {@code Sun, 06 Nov 1994 08:49:37 GMT},
     * {@code Sunday, 06-Nov-94 08:49:37 GMT} (a two-digit year more than 50 years after {@code nowMillis} is of
     * the century before) or {@code Sun Nov  6 08:49:37 1994}. Lenient only where it is harmless: the weekday is
     * not checked against the date, a day may be padded with a space in every form, and a day 1-31 past the end
     * of its month counts on into the next.
     */
    private static double httpDate(String v, double nowMillis) {
        int n = v.length();
        int comma = 0;
        while (comma < n && v.charAt(comma) != ',') {
            comma++;
        }
        // the form as a pattern: w and n letters, d (also a space) y h i s digits of the field of that letter,
        // anything else itself; an RFC 850 weekday has more letters before the comma
        boolean asctime = n == 24;
        int off = asctime || comma == 3 ? 0 : comma - 3;
        String form = asctime ? "www nnn dd hh:ii:ss yyyy"
                : off == 0 ? "www, dd nnn yyyy hh:ii:ss GMT" : "www, dd-nnn-yy hh:ii:ss GMT";
        if (off < 0 || n != form.length() + off) {
            return Double.NaN;
        }
        double[] f = new double[26];
        for (int i = 0; i < n; i++) {
            char p = i < off ? 'w' : form.charAt(i - off);
            char c = v.charAt(i);
            boolean ok;
            if (p < 'a') {
                ok = c == p;
            } else if (p == 'w' || p == 'n') {
                ok = (c | 32) >= 'a' && (c | 32) <= 'z';
            } else if (c >= '0' && c <= '9') {
                f[p - 'a'] = f[p - 'a'] * 10 + c - '0';
                ok = true;
            } else {
                ok = c == ' ' && p == 'd';
            }
            if (!ok) {
                return Double.NaN;
            }
        }
        int at = asctime ? 4 : off + 8;
        int month = 0;
        for (int k = 0; k < 36; k += 3) {
            if (MONTHS.charAt(k) == v.charAt(at) && MONTHS.charAt(k + 1) == v.charAt(at + 1)
                    && MONTHS.charAt(k + 2) == v.charAt(at + 2)) {
                month = k / 3 + 1;
            }
        }
        double day = f['d' - 'a'];
        double year = f['y' - 'a'];
        double h = f['h' - 'a'];
        double m = f['i' - 'a'];
        double s = f['s' - 'a'];
        if (month == 0 || day < 1 || day > 31 || h > 23 || m > 59 || s > 60) {
            return Double.NaN;
        }
        if (off > 0) {
            double now = 1970 + Math.floor(nowMillis / 31556952000.0);
            year += now - now % 100;
            if (year > now + 50) {
                year -= 100;
            }
        }
        return ((epochDay((int) year, month, (int) day) * 24 + h) * 60 + m) * 60000 + s * 1000;
    }

    /** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    private static double epochDay(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = (y >= 0 ? y : y - 399) / 400;
        int yoe = y - era * 400;
        int doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
        return era * 146097.0 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
    }
}
