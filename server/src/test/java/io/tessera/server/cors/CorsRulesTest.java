package io.tessera.server.cors;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.server.xml.CorsConfiguration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CorsRulesTest {
    @Test
    void oneWildcardStandsForAnyRun() {
        assertThat(CorsRules.matches("*", "https://a.example", false)).isTrue();
        assertThat(CorsRules.matches("https://*.example.com", "https://a.b.example.com", false)).isTrue();
        assertThat(CorsRules.matches("https://*.example.com", "https://example.com", false)).isFalse();
        assertThat(CorsRules.matches("http://*.example.com", "https://a.example.com", false)).isFalse();
        assertThat(CorsRules.matches("*.example.com", "https://a.example.com", false)).isTrue();
        assertThat(CorsRules.matches("https://app.*", "https://app.example", false)).isTrue();
        assertThat(CorsRules.matches("https://a.example", "https://A.example", false)).isFalse();
        assertThat(CorsRules.matches("x-amz-*", "X-Amz-Date", true)).isTrue();
        assertThat(CorsRules.matches("ab*ba", "aba", false)).as("head and tail must not overlap").isFalse();
    }

    @Test
    void theFirstMatchingRuleWins() {
        CorsRules rules = CorsRules.validated(new CorsConfiguration(List.of(
                new CorsConfiguration.Rule("one", List.of("https://a.example"), List.of("PUT"), List.of("content-type"),
                        List.of(), null),
                new CorsConfiguration.Rule("two", List.of("*"), List.of("GET", "PUT"), List.of("*"), List.of(), null))));
        assertThat(rules.match("https://a.example", "PUT", List.of("content-type")).id()).isEqualTo("one");
        assertThat(rules.match("https://a.example", "PUT", List.of("x-other")).id()).isEqualTo("two");
        assertThat(rules.match("https://b.example", "GET", List.of()).id()).isEqualTo("two");
        assertThat(rules.match("https://b.example", "DELETE", List.of())).isNull();
        assertThat(CorsRules.decode(rules.encode()).configuration()).isEqualTo(rules.configuration());
    }
}
