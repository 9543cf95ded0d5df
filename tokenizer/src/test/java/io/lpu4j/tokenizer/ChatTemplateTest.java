package io.lpu4j.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** chat_template rendering, with templates as real models ship them. */
class ChatTemplateTest {
    private static final String CHATML = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n'"
            + " + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}"
            + "{{ '<|im_start|>assistant\\n' }}{% endif %}";
    /** Llama-2-chat's template: slicing, .strip(), raise_exception, bos/eos. */
    private static final String LLAMA2 = "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}"
            + "{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}"
            + "{% set system_message = false %}{% endif %}{% for message in loop_messages %}"
            + "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
            + "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
            + "{% if loop.index0 == 0 and system_message != false %}"
            + "{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}"
            + "{% else %}{% set content = message['content'] %}{% endif %}{% if message['role'] == 'user' %}"
            + "{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}{% elif message['role'] == 'assistant' %}"
            + "{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}";
    /** Llama-3-instruct's template: the | trim filter, loop.index0, block trimming. */
    private static final String LLAMA3 = "{% set loop_messages = messages %}{% for message in loop_messages %}"
            + "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'"
            + "+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}"
            + "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

    private static final List<Map<String, String>> CHAT = List.of(
            Map.of("role", "system", "content", "Be brief."),
            Map.of("role", "user", "content", " Hi there "),
            Map.of("role", "assistant", "content", "Hello!"),
            Map.of("role", "user", "content", "Tell a story."));

    @Test
    void rendersChatMl(@TempDir Path dir) throws Exception {
        ChatTemplate t = templateIn(dir, CHATML);
        assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n Hi there <|im_end|>\n"
                + "<|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\nTell a story.<|im_end|>\n"
                + "<|im_start|>assistant\n", t.render(CHAT, true));
        assertTrue(t.render(CHAT, false).endsWith("Tell a story.<|im_end|>\n"));
    }

    @Test
    void rendersLlama2WithSystemPromptAndStrip(@TempDir Path dir) throws Exception {
        ChatTemplate t = templateIn(dir, LLAMA2);
        assertEquals("<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\n Hi there [/INST] Hello! </s>"
                + "<s>[INST] Tell a story. [/INST]", t.render(CHAT, true));
    }

    @Test
    void templateExceptionsAreUserErrors(@TempDir Path dir) throws Exception {
        ChatTemplate t = templateIn(dir, LLAMA2);
        InvalidTokenizerException e = assertThrows(InvalidTokenizerException.class, () -> t.render(
                List.of(Map.of("role", "assistant", "content", "I speak first")), true));
        assertTrue(e.getMessage().contains("Conversation roles must alternate"), e.getMessage());
    }

    @Test
    void rendersLlama3WithTrim(@TempDir Path dir) throws Exception {
        ChatTemplate t = templateIn(dir, LLAMA3);
        assertEquals("<s><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nTell a story.<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n", t.render(CHAT, true));
    }

    @Test
    void noTemplateWithoutConfig() {
        assertTrue(Tokenizer.fromModelDir(SharedData.path("models/stories260K")).chatTemplate().isEmpty());
    }

    /** stories260K's tokenizer beside a config that has {@code template} (and bos/eos as AddedToken objects). */
    private static ChatTemplate templateIn(Path dir, String template) throws Exception {
        Files.copy(SharedData.path("models/stories260K/tokenizer.json"), dir.resolve("tokenizer.json"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = json.createObjectNode().put("tokenizer_class", "LlamaTokenizer")
                .put("chat_template", template).put("eos_token", "</s>");
        config.putObject("bos_token").put("content", "<s>").put("special", true);
        Files.writeString(dir.resolve("tokenizer_config.json"), json.writeValueAsString(config));
        return Tokenizer.fromModelDir(dir).chatTemplate().orElseThrow();
    }
}
