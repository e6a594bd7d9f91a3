package orrery.model.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BoundedMapsTest {

    @Test
    void leastRecentlyUsedDropsTheEntryTouchedLongestAgo() {
        Map<String, Integer> map = BoundedMaps.leastRecentlyUsed(2);
        map.put("a", 1);
        map.put("b", 2);
        map.get("a");
        map.put("c", 3);

        assertThat(map).containsOnlyKeys("a", "c");
    }

    @Test
    void oldestFirstDropsTheFirstPutWhateverWasRead() {
        Map<String, Integer> map = BoundedMaps.oldestFirst(2);
        map.put("a", 1);
        map.put("b", 2);
        map.get("a");
        map.put("c", 3);

        assertThat(map).containsOnlyKeys("b", "c");
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThatThrownBy(() -> BoundedMaps.leastRecentlyUsed(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
