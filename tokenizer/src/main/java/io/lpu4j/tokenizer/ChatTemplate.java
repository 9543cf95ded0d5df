package io.lpu4j.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Jinja chat_template of tokenizer_config.json, rendered as transformers does: with
 * trim_blocks and lstrip_blocks, the variables messages, add_generation_prompt, bos_token and
 * eos_token, and raise_exception().
 */
public final class ChatTemplate {
    private final String source;
    private final String bosToken;
    private final String eosToken;
    private final Jinjava jinjava;

    ChatTemplate(String source, String bosToken, String eosToken) {
        this.source = source;
        this.bosToken = bosToken;
        this.eosToken = eosToken;
        this.jinjava = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true).build());
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                ChatTemplate.class, "raiseException", String.class));
    }

    /** The template text. */
    public String source() {
        return source;
    }

    /**
     * The prompt for {@code messages} (each a map with at least "role" and "content"), ending with
     * the assistant's header when {@code addGenerationPrompt}.
     */
    public String render(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt, Map.of());
    }

    /** As {@link #render(List, boolean)}, with more variables for templates that use them (e.g. tools). */
    public String render(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt, Map<String, ?> extra) {
        Map<String, Object> vars = new HashMap<>(extra);
        vars.put("messages", messages);
        vars.put("add_generation_prompt", addGenerationPrompt);
        vars.put("bos_token", bosToken == null ? "" : bosToken);
        vars.put("eos_token", eosToken == null ? "" : eosToken);
        RenderResult result = jinjava.renderForResult(source, vars);
        for (TemplateError e : result.getErrors()) {
            if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new InvalidTokenizerException("chat_template: " + raisedMessage(e));
            }
        }
        return result.getOutput();
    }

    /** The template's own raise_exception message if that is what failed, else Jinjava's. */
    private static String raisedMessage(TemplateError error) {
        for (Throwable t = error.getException(); t != null; t = t.getCause()) {
            if (t instanceof InvalidTokenizerException raised) {
                return raised.getMessage();
            }
        }
        return error.getMessage();
    }

    /** The template's raise_exception(message): the messages do not fit the template. */
    public static String raiseException(String message) {
        throw new InvalidTokenizerException(message);
    }
}
