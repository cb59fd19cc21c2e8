package io.eventfold.kafka.json;

import io.eventfold.kafka.EnvelopeFormatException;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes and reads one domain type (commands, events or state) as JSON, with a type name per
 * concrete class, so the domain needs no framework annotations.
 *
 * <p>{@link #forSealed(Class)} registers every permitted subtype of a sealed interface or class,
 * recursively. A subtype's type name is its simple class name, or the value of its
 * {@link JsonTypeName @JsonTypeName} annotation where present; two subtypes with the same name are
 * refused. Records, {@code BigDecimal} (scale kept: {@code 410.00} stays {@code 410.00}, {@code 1E+2}
 * stays {@code 1E+2}), {@code java.time}
 * types (ISO-8601 strings) and {@code Optional} work out of the box; unknown properties are
 * ignored on read, so an older reader accepts a newer writer's payloads.
 *
 * <pre>{@code
 * JsonCodec<InvoiceEvent> events = JsonCodec.forSealed(InvoiceEvent.class);
 * JsonNode json = events.toJson(new InvoiceSent());          // {}
 * String type = events.typeName(new InvoiceSent());          // "InvoiceSent"
 * InvoiceEvent back = events.fromJson("InvoiceSent", json);
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param <T> the domain type
 */
public final class JsonCodec<T> {

    private final Class<T> type;
    private final ObjectMapper mapper;
    private final Map<String, Class<? extends T>> classesByName;
    private final Map<Class<?>, String> namesByClass;

    private JsonCodec(Class<T> type, ObjectMapper mapper, Map<String, Class<? extends T>> classesByName) {
        this.type = type;
        this.mapper = mapper;
        this.classesByName = Collections.unmodifiableMap(classesByName);
        Map<Class<?>, String> names = new LinkedHashMap<>();
        classesByName.forEach((name, subtype) -> names.put(subtype, name));
        this.namesByClass = Collections.unmodifiableMap(names);
    }

    /**
     * Creates a codec for a sealed type, with {@link #defaultObjectMapper()}.
     *
     * @param sealedType a sealed interface or class, such as {@code InvoiceEvent.class}
     * @param <T> the domain type
     * @return a codec that knows every concrete permitted subtype
     * @throws IllegalArgumentException if the type is not sealed, or two subtypes share a type name
     */
    public static <T> JsonCodec<T> forSealed(Class<T> sealedType) {
        return forSealed(sealedType, defaultObjectMapper());
    }

    /**
     * Creates a codec for a sealed type with a mapper of your own.
     *
     * @param sealedType a sealed interface or class
     * @param mapper the mapper to use; configure it before, it is not copied
     * @param <T> the domain type
     * @return a codec that knows every concrete permitted subtype
     * @throws IllegalArgumentException if the type is not sealed, or two subtypes share a type name
     */
    public static <T> JsonCodec<T> forSealed(Class<T> sealedType, ObjectMapper mapper) {
        Objects.requireNonNull(sealedType, "sealedType must not be null");
        Objects.requireNonNull(mapper, "mapper must not be null");
        if (!sealedType.isSealed()) {
            throw new IllegalArgumentException(sealedType.getName()
                    + " is not sealed: use JsonCodec.forClass for a single concrete type");
        }
        Map<String, Class<? extends T>> classes = new LinkedHashMap<>();
        collectConcreteSubtypes(sealedType, sealedType, classes);
        return new JsonCodec<>(sealedType, mapper, classes);
    }

    /**
     * Creates a codec for a type: {@link #forSealed} when it is sealed, otherwise a codec for that
     * one concrete class (typically an aggregate's state record).
     *
     * @param type the domain type
     * @param <T> the domain type
     * @return a codec for the type
     */
    public static <T> JsonCodec<T> forClass(Class<T> type) {
        return forClass(type, defaultObjectMapper());
    }

    /**
     * Creates a codec for a type with a mapper of your own, see {@link #forClass(Class)}.
     *
     * @param type the domain type
     * @param mapper the mapper to use
     * @param <T> the domain type
     * @return a codec for the type
     */
    public static <T> JsonCodec<T> forClass(Class<T> type, ObjectMapper mapper) {
        Objects.requireNonNull(type, "type must not be null");
        Objects.requireNonNull(mapper, "mapper must not be null");
        if (type.isSealed()) {
            return forSealed(type, mapper);
        }
        Map<String, Class<? extends T>> classes = new LinkedHashMap<>();
        classes.put(typeNameOf(type), type);
        return new JsonCodec<>(type, mapper, classes);
    }

    /**
     * Returns a new mapper configured as Eventfold expects: {@code java.time} and {@code Optional}
     * support, ISO-8601 dates, {@code BigDecimal}s read and written without changing their scale,
     * unknown properties ignored (a missing property becomes {@code null} or zero), empty records allowed.
     *
     * @return a new, independently configurable mapper
     */
    public static ObjectMapper defaultObjectMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(new Jdk8Module())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                // Keep 410.00 as 410.00 through JSON trees: a BigDecimal's scale is part of its equality.
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .build();
    }

    /**
     * The domain type this codec writes and reads.
     *
     * @return the sealed or concrete type given at creation
     */
    public Class<T> type() {
        return type;
    }

    /**
     * The type names this codec knows, in declaration order.
     *
     * @return an unmodifiable set of type names
     */
    public Set<String> typeNames() {
        return classesByName.keySet();
    }

    /**
     * The mapper this codec uses. Configure a mapper before building codecs from it; changing it
     * afterwards changes every codec that shares it.
     *
     * @return the mapper
     */
    public ObjectMapper mapper() {
        return mapper;
    }

    /**
     * Returns the type name written for a value.
     *
     * @param value a value of a registered concrete type
     * @return its type name
     * @throws IllegalArgumentException if the value's class is not registered
     */
    public String typeName(T value) {
        Objects.requireNonNull(value, "value must not be null");
        String name = namesByClass.get(value.getClass());
        if (name == null) {
            throw new IllegalArgumentException(value.getClass().getName() + " is not a known subtype of "
                    + type.getName() + "; known types: " + typeNames());
        }
        return name;
    }

    /**
     * Writes a value as a JSON tree (without its type name).
     *
     * @param value the value
     * @return its JSON
     * @throws EnvelopeFormatException if Jackson cannot write the value
     */
    public JsonNode toJson(T value) {
        typeName(value);
        try {
            return mapper.valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw new EnvelopeFormatException("cannot write " + value.getClass().getName() + " as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a value from its type name and JSON tree.
     *
     * @param typeName the type name written with the value
     * @param json the value's JSON
     * @return the value
     * @throws EnvelopeFormatException if the type name is unknown or the JSON does not fit the type
     */
    public T fromJson(String typeName, JsonNode json) {
        Class<? extends T> target = classesByName.get(typeName);
        if (target == null) {
            throw new EnvelopeFormatException("unknown " + type.getSimpleName() + " type '" + typeName
                    + "'; known types: " + typeNames());
        }
        if (json == null || json.isMissingNode() || json.isNull()) {
            throw new EnvelopeFormatException("no JSON for " + type.getSimpleName() + " type '" + typeName + "'");
        }
        try {
            return mapper.treeToValue(json, target);
        } catch (JsonProcessingException e) {
            throw new EnvelopeFormatException("cannot read " + type.getSimpleName() + " type '" + typeName + "': "
                    + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new EnvelopeFormatException("cannot read " + type.getSimpleName() + " type '" + typeName + "': "
                    + e.getMessage(), e);
        }
    }

    private static <T> void collectConcreteSubtypes(Class<T> root, Class<?> current, Map<String, Class<? extends T>> into) {
        if (current.isSealed()) {
            for (Class<?> permitted : current.getPermittedSubclasses()) {
                collectConcreteSubtypes(root, permitted, into);
            }
        }
        boolean concrete = !current.isInterface() && !java.lang.reflect.Modifier.isAbstract(current.getModifiers());
        if (concrete) {
            String name = typeNameOf(current);
            Class<? extends T> previous = into.putIfAbsent(name, current.asSubclass(root));
            if (previous != null && previous != current) {
                throw new IllegalArgumentException("type name '" + name + "' is used by both " + previous.getName()
                        + " and " + current.getName() + "; give one of them @JsonTypeName");
            }
        }
    }

    private static String typeNameOf(Class<?> type) {
        JsonTypeName annotation = type.getAnnotation(JsonTypeName.class);
        return annotation != null && !annotation.value().isBlank() ? annotation.value() : type.getSimpleName();
    }

    @Override
    public String toString() {
        return "JsonCodec[" + type.getSimpleName() + ": " + typeNames() + "]";
    }
}
