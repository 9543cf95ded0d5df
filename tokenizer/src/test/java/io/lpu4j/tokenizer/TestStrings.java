package io.lpu4j.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test inputs from a fixed seed: prose, code, numbers, white space runs, accents, CJK, emoji, special-token text. */
final class TestStrings {
    private static final String[] WORDS = ("the a of and to in is was that it for on with as his they I at be this "
            + "have from or one had by word but not what all were we when your can said there use an each which she "
            + "do how their if will up other about out many then them these so some her would make like him into "
            + "time has look two more write go see number no way could people my than first water been call who oil "
            + "its now find long down day did get come made may part Once upon Lily Tim dog park happy big little "
            + "don't can't I'm you're we've it's they'll he'd O'Neil isn't ain't DON'T 'S 'll").split(" ");
    private static final String[] CODE = {
        "def f(x):\n    return x ** 2", "for (int i = 0; i < n; i++) { sum += a[i]; }", "if x != None:",
        "#include <stdio.h>", "print(\"hello, world\")", "a && b || !c", "x->y = z;", "[1, 2, 3]", "{'k': v}",
        "    indented\n\tline", "/* comment */", "// TODO: fix", "foo_bar_baz = 42", "snake_case CamelCase",
        "<div class=\"x\">", "</html>", "SELECT * FROM t WHERE id=7;", "λx.x", "$HOME/.bashrc", "e^(iπ)+1=0"};
    private static final String[] NUMBERS = {"$1,234.56", "€99", "£3.50", "¥1000", "3.14159", "2.5e-10", "1/2",
        "100%", "-42", "+7", "1,000,000", "0x1F", "12:30", "2024-01-15", "555-1234", "No. 9", "½", "²", "Ⅻ", "٣"};
    private static final String[] ACCENTS = {"café", "naïve", "Ångström", "résumé", "Zürich", "São Paulo",
        "Tiếng Việt", "Øresund", "Straße", "ÉCOLE", "e\u0301", "a\u0308o\u0308", "n\u0303", "\u0301alone",
        "x\u0323\u0301", "x\u0301\u0323", "İstanbul", "ΣΊΣΥΦΟΣ", "Ελληνικά", "Русский язык", "עברית", "العربية",
        "हिन्दी", "ไทย", "ﬁnance", "Ⅸ", "Ａｂｃ", "Å", "ǅ", "ﬀ"};
    private static final String[] CJK = {"日本語", "中文字符", "漢字", "한국어", "ひらがな", "カタカナ", "你好，世界！",
        "東京タワー", "𠀀𠀁", "「引用」", "。", "〜", "　"};
    private static final String[] EMOJI = {"😀", "👍", "👍🏽", "👨\u200D👩\u200D👧", "🏳️\u200D🌈", "❤️", "🇫🇷", "🥰",
        "🤖", "✨", "☕", "🧑\u200D💻", "1️⃣", "©", "™"};
    private static final String[] SPECIAL = {"<s>", "</s>", "<unk>", "[CLS]", "[SEP]", "[MASK]", "[PAD]", "[UNK]",
        "<|endoftext|>", "<|im_start|>", "<pad>", "<s", "s>", "[CLS", "<|endoftext|", "<mask>", " <mask> ",
        "\t<mask>\n", "x<mask>y", "time", " time ", "ontime"};
    private static final String[] SPACES = {" ", "  ", "   ", "\t", "\n", "\n\n", "\r\n", " \n ", "\u00A0",
        "\u3000", "\u2009", "\u200B", "\u0000", "\u0007", "\uFEFF", "    ", " \t"};
    private static final String[] SEPARATORS = {" ", " ", " ", "", "\n", "  ", "\t", ", ", ". "};
    private static final String[][] CATEGORIES = {WORDS, WORDS, WORDS, CODE, NUMBERS, ACCENTS, CJK, EMOJI,
        SPECIAL, SPACES};

    /** Hand-picked edge cases. */
    static final List<String> EDGE_CASES = List.of("", " ", "  ", "\n", "\t", "a", "<s>", "</s>", "[CLS]",
            "<|endoftext|>", "Once upon a time", "Hello world", " leading space", "trailing space ", "a<s>b",
            "<s><s>", "[CLS] x [SEP]", "<|endoftext|><|endoftext|>", "x" + "y".repeat(150), "\u0000", "\uFFFD",
            "😀", "e\u0301", "日本", "don't", "DON'T", "   multiple   spaces   ");

    private TestStrings() {
    }

    static List<String> generate(long seed, int count) {
        Random random = new Random(seed);
        List<String> out = new ArrayList<>(EDGE_CASES);
        while (out.size() < count) {
            int parts = 1 + random.nextInt(random.nextInt(5) == 0 ? 24 : 8);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < parts; i++) {
                if (i > 0) {
                    sb.append(SEPARATORS[random.nextInt(SEPARATORS.length)]);
                }
                if (random.nextInt(12) == 0) {
                    appendRandomCodePoints(sb, random);
                } else {
                    String[] category = CATEGORIES[random.nextInt(CATEGORIES.length)];
                    sb.append(category[random.nextInt(category.length)]);
                }
            }
            out.add(sb.toString());
        }
        return out;
    }

    /** A few assigned code points from scripts and symbol blocks. */
    private static void appendRandomCodePoints(StringBuilder sb, Random random) {
        int[][] ranges = {{0x20, 0x7E}, {0xA0, 0x24F}, {0x370, 0x3FF}, {0x400, 0x4FF}, {0x590, 0x6FF},
            {0x900, 0x97F}, {0x2000, 0x206F}, {0x2190, 0x23FF}, {0x3040, 0x30FF}, {0x4E00, 0x9FFF},
            {0xAC00, 0xD7A3}, {0x1F300, 0x1F64F}};
        int n = 1 + random.nextInt(6);
        for (int i = 0; i < n; i++) {
            int[] r = ranges[random.nextInt(ranges.length)];
            int cp = r[0] + random.nextInt(r[1] - r[0] + 1);
            if (Character.isDefined(cp) && Character.getType(cp) != Character.UNASSIGNED) {
                sb.appendCodePoint(cp);
            }
        }
    }
}
