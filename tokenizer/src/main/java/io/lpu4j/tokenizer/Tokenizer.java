package io.lpu4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A Hugging Face {@code tokenizer.json}, giving the ids HF's own tokenizers library gives. The pipeline
 * is HF's: added tokens are split out, the rest is normalized, pre-tokenized into words, and each word
 * tokenized by the model; then truncation, the post-processor's special tokens, and padding.
 * Immutable and thread-safe.
 */
public final class Tokenizer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Normalizer normalizer;
    private final PreTokenizer preTokenizer;
    private final Model model;
    private final AddedVocabulary added;
    private final PostProcessor postProcessor;
    private final Decoder decoder;
    private final Truncation truncation;
    private final Padding padding;
    private final ChatTemplate chatTemplate;

    private Tokenizer(Normalizer normalizer, PreTokenizer preTokenizer, Model model, AddedVocabulary added,
                      PostProcessor postProcessor, Decoder decoder, Truncation truncation, Padding padding,
                      ChatTemplate chatTemplate) {
        this.normalizer = normalizer;
        this.preTokenizer = preTokenizer;
        this.model = model;
        this.added = added;
        this.postProcessor = postProcessor;
        this.decoder = decoder;
        this.truncation = truncation;
        this.padding = padding;
        this.chatTemplate = chatTemplate;
    }

    /** Reads {@code tokenizerJson}, and the {@code tokenizer_config.json} beside it if there is one. */
    public static Tokenizer fromFile(Path tokenizerJson) {
        TokenizerFile file = new TokenizerFile(tokenizerJson.toString());
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(tokenizerJson));
        } catch (NoSuchFileException e) {
            throw new InvalidTokenizerException(tokenizerJson + ": no such file");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw file.invalid("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isObject()) {
            throw file.invalid("should hold a JSON object");
        }
        Path dir = tokenizerJson.toAbsolutePath().getParent();
        TokenizerConfig config = TokenizerConfig.read(dir.resolve("tokenizer_config.json"), JSON);
        return fromJson(root, file, config);
    }

    /** Reads {@code modelDir/tokenizer.json} (and {@code tokenizer_config.json} if present). */
    public static Tokenizer fromModelDir(Path modelDir) {
        return fromFile(modelDir.resolve("tokenizer.json"));
    }

    private static Tokenizer fromJson(JsonNode root, TokenizerFile file, TokenizerConfig config) {
        Normalizer normalizer = Normalizers.fromJson(root.get("normalizer"), file);
        PreTokenizer preTokenizer = PreTokenizers.fromJson(root.get("pre_tokenizer"), file);
        Model model = Models.fromJson(root.get("model"), file);
        AddedVocabulary added = new AddedVocabulary(
                AddedVocabulary.tokensFromJson(root.get("added_tokens"), file, model.vocab()), normalizer);
        PostProcessor postProcessor = PostProcessors.fromJson(root.get("post_processor"), file);
        Decoder decoder = Decoders.fromJson(root.get("decoder"), file);
        Truncation truncation = Truncation.fromJson(root.get("truncation"), file);
        Padding padding = Padding.fromJson(root.get("padding"), file);
        if (config.decidesBosEos()) {
            postProcessor = bosEosTemplate(config, file, added, model);
        }
        ChatTemplate chat = config.chatTemplate() == null ? null
                : new ChatTemplate(config.chatTemplate(), config.bosToken(), config.eosToken());
        return new Tokenizer(normalizer, preTokenizer, model, added, postProcessor, decoder, truncation, padding, chat);
    }

    /** transformers' Llama rule: "[bos] $A [eos]", each as add_bos_token / add_eos_token say. */
    private static PostProcessor bosEosTemplate(TokenizerConfig config, TokenizerFile file, AddedVocabulary added,
                                                Model model) {
        java.util.function.Function<String, TemplatePostProcessor.SpecialToken> special = t -> {
            int id = idOf(t, added, model).orElseThrow(() -> file.invalid("special token '" + t
                    + "' of tokenizer_config.json is not in the vocab"));
            return new TemplatePostProcessor.SpecialToken(new int[] {id}, List.of(t));
        };
        List<TemplatePostProcessor.SpecialToken> pieces = new ArrayList<>();
        if (Boolean.TRUE.equals(config.addBosToken()) && config.bosToken() != null) {
            pieces.add(special.apply(config.bosToken()));
        }
        pieces.add(null); // the text
        if (Boolean.TRUE.equals(config.addEosToken()) && config.eosToken() != null) {
            pieces.add(special.apply(config.eosToken()));
        }
        return TemplatePostProcessor.of(pieces);
    }

    /** A copy that neither truncates nor pads, whatever the file says (as the HF oracle is run in tests). */
    public Tokenizer withoutTruncationAndPadding() {
        return new Tokenizer(normalizer, preTokenizer, model, added, postProcessor, decoder, null, null, chatTemplate);
    }

    /** The ids of {@code text}, with the special tokens the post-processor adds. */
    public int[] encode(String text) {
        return encode(text, true);
    }

    public int[] encode(String text, boolean addSpecialTokens) {
        return encodeTokens(text, addSpecialTokens).ids();
    }

    public Encoding encodeWithOffsets(String text, boolean addSpecialTokens) {
        return encodeTokens(text, addSpecialTokens).build();
    }

    private EncodingBuilder encodeTokens(String text, boolean addSpecialTokens) {
        EncodingBuilder encoding = new EncodingBuilder();
        for (Split split : added.extractAndNormalize(text, normalizer)) {
            if (split.tokens() != null) {
                addTokens(encoding, split.piece(), split.tokens());
                continue;
            }
            List<NormalizedString> words = preTokenizer == null ? List.of(split.piece())
                    : preTokenizer.split(split.piece());
            for (NormalizedString word : words) {
                if (!word.isEmpty()) {
                    addTokens(encoding, word, model.tokenize(word.get()));
                }
            }
        }
        if (truncation != null) {
            int toAdd = addSpecialTokens && postProcessor != null ? postProcessor.addedTokens() : 0;
            encoding = truncation.apply(encoding, toAdd);
        }
        if (postProcessor != null) {
            encoding = postProcessor.process(encoding, addSpecialTokens);
        }
        return padding == null ? encoding : padding.apply(encoding);
    }

    private static void addTokens(EncodingBuilder encoding, NormalizedString piece, List<Token> tokens) {
        for (Token t : tokens) {
            int[] original = piece.toOriginal(t.start(), t.end());
            if (original == null) {
                original = new int[] {t.start(), t.end()}; // as HF, which keeps the piece's own offsets then
            }
            encoding.add(t.id(), t.value(), original[0], original[1], 0, false, true);
        }
    }

    /** The text of {@code ids}; ids that are in no vocabulary are left out, as HF does. */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        return decode(ids, 0, ids.length, skipSpecialTokens);
    }

    String decode(int[] ids, int from, int to, boolean skipSpecialTokens) {
        List<String> tokens = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            AddedToken a = added.byId(ids[i]);
            String token = a != null ? a.content() : model.vocab().token(ids[i]);
            if (token != null && !(skipSpecialTokens && added.isSpecial(token))) {
                tokens.add(token);
            }
        }
        return decoder == null ? String.join(" ", tokens) : decoder.decode(tokens);
    }

    /** A decoder for one generation, fed one id at a time. */
    public StreamDecoder streamDecoder(boolean skipSpecialTokens) {
        return new StreamDecoder(this, skipSpecialTokens);
    }

    /** One more than the largest id (model vocabulary and added tokens): the rows an embedding needs. */
    public int vocabSize() {
        return Math.max(model.vocab().idLimit(), added.maxId() + 1);
    }

    public OptionalInt tokenId(String token) {
        return idOf(token, added, model);
    }

    private static OptionalInt idOf(String token, AddedVocabulary added, Model model) {
        AddedToken a = added.byContent(token);
        if (a != null) {
            return OptionalInt.of(a.id());
        }
        int id = model.vocab().id(token);
        return id >= 0 ? OptionalInt.of(id) : OptionalInt.empty();
    }

    /** The token string of an id. */
    public Optional<String> token(int id) {
        AddedToken a = added.byId(id);
        return Optional.ofNullable(a != null ? a.content() : model.vocab().token(id));
    }

    /** The chat_template of tokenizer_config.json, if it has one. */
    public Optional<ChatTemplate> chatTemplate() {
        return Optional.ofNullable(chatTemplate);
    }
}
