package io.lpu4j.bench.synth;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes JSON laid out as Hugging Face writes its config files (Python's
 * {@code json.dumps(indent=2, sort_keys=True)}): keys sorted, two-space indent, {@code "key": value},
 * arrays one element a line, and floats as Python prints them ({@code 1e-05}, not {@code 1.0E-5}).
 */
final class HfJson {
    private static final ObjectWriter WRITER;

    static {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
                .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
        SimpleModule pythonFloats = new SimpleModule().addSerializer(Double.class, new StdSerializer<>(Double.class) {
            @Override
            public void serialize(Double value, JsonGenerator json, SerializerProvider provider) throws IOException {
                json.writeNumber(pythonRepr(value));
            }
        });
        WRITER = new ObjectMapper().registerModule(pythonFloats)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).writer(printer);
    }

    private HfJson() {
    }

    static void write(Path file, Object value) {
        try {
            Files.writeString(file, WRITER.writeValueAsString(value) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Python's {@code repr(float)} of a finite double: the shortest digits that round-trip (as Java's
     * Double.toString gives them), in plain notation when the decimal exponent is in [-4, 16),
     * else as {@code d.ddde±XX}.
     */
    static String pythonRepr(double value) {
        if (value == 0) {
            return Math.copySign(1, value) < 0 ? "-0.0" : "0.0";
        }
        BigDecimal shortest = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        String digits = shortest.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - shortest.scale();
        String sign = value < 0 ? "-" : "";
        if (exponent >= -4 && exponent < 16) {
            String plain = shortest.abs().toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return String.format("%s%se%s%02d", sign, mantissa, exponent < 0 ? "-" : "+", Math.abs(exponent));
    }
}
